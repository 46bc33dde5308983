// Reads a callgrind profile of node (--dump-instr=yes --compress-pos=no --compress-strings=no)
// and names the JIT code in it through node's --perf-basic-prof map (/tmp/perf-PID.map), which
// callgrind cannot read itself: it shows V8's generated code as '???'.
//
//   node callgrind-jit.mjs self    OUT MAP REQUESTS [TOP]         instructions a request, by function
//   node callgrind-jit.mjs callers OUT MAP REQUESTS REGEX [TOP]   who calls the matching functions
//   node callgrind-jit.mjs callees OUT MAP REQUESTS REGEX [TOP]   what the matching functions call
//
// 'self' counts each function's own instructions (what it calls is counted where it runs);
// callers and callees count the inclusive cost of each call. Costs are divided by REQUESTS.
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [mode, out, mapFile, requestsArg, ...rest] = process.argv.slice(2);
if (!['self', 'callers', 'callees'].includes(mode) || !out || !mapFile || !requestsArg) {
  console.error('usage: callgrind-jit.mjs self|callers|callees OUT MAP REQUESTS [REGEX] [TOP]');
  process.exit(2);
}
const requests = Number(requestsArg);
const pattern = mode === 'self' ? undefined : new RegExp(rest.shift() ?? '.');
const top = Number(rest.shift() ?? 40);

// The map: 'start length name' per line, hex; code can be reused, so later lines win.
const ranges = readFileSync(mapFile, 'utf8')
  .split('\n')
  .map((line) => {
    const [start, length, ...name] = line.split(' ');
    return { start: parseInt(start, 16), end: parseInt(start, 16) + parseInt(length, 16), name: name.join(' ') };
  })
  .filter((r) => Number.isFinite(r.start) && Number.isFinite(r.end) && r.name);
ranges.sort((a, b) => a.start - b.start);
const named = new Map();
function jitName(address) {
  let name = named.get(address);
  if (name !== undefined) return name;
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].start <= address) lo = mid + 1;
    else hi = mid - 1;
  }
  name = '[JIT code not in the map]';
  for (let i = hi; i >= 0 && address - ranges[i].start < 1 << 20; i--) {
    if (address < ranges[i].end) {
      name = `JS ${ranges[i].name}`;
      break;
    }
  }
  named.set(address, name);
  return name;
}

const totals = new Map();
const add = (key, cost) => totals.set(key, (totals.get(key) ?? 0) + cost);
let fn = '';
let object = '';
let callee = '';
let callLine = false;
const lines = createInterface({ input: createReadStream(out), crlfDelay: Infinity });
for await (const line of lines) {
  if (line.startsWith('fn=')) fn = line.slice(3);
  else if (line.startsWith('ob=')) object = line.slice(3);
  else if (line.startsWith('cfn=')) callee = line.slice(4);
  else if (line.startsWith('calls=')) callLine = true;
  else if (/^0x[0-9a-f]/.test(line)) {
    const fields = line.split(' ');
    const address = parseInt(fields[0], 16);
    const cost = Number(fields[fields.length - 1]);
    const here = object === '???' ? jitName(address) : fn;
    const isCall = callLine;
    callLine = false;
    if (mode === 'self') {
      if (!isCall) add(here, cost);
    } else if (isCall) {
      // A call into JIT code names its target by address.
      const target = /^0x[0-9a-f]+/.test(callee) ? jitName(parseInt(callee, 16)) : callee;
      if (mode === 'callers' && pattern.test(target)) add(here, cost);
      if (mode === 'callees' && pattern.test(here)) add(target, cost);
    } else if (mode === 'callees' && pattern.test(here)) add('(self)', cost);
  }
}
const rows = [...totals].sort((a, b) => b[1] - a[1]);
const sum = rows.reduce((s, [, cost]) => s + cost, 0);
console.log(`${Math.round(sum / requests)} instructions a request in all`);
for (const [key, cost] of rows.slice(0, top)) console.log(`${String(Math.round(cost / requests)).padStart(9)} ${key.slice(0, 160)}`);
