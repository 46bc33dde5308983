/**
 * reinhardt/checks: the system check framework (Django's django.core.checks). Register checks
 * with registerCheck(); `check [--deploy]` runs them. Ids are listed in README.md beside this file.
 */
export {
  CheckLevel,
  CHECK_LEVEL_NAMES,
  CheckMessage,
  checkCritical,
  checkDebug,
  checkError,
  checkInfo,
  checkWarning,
  type CheckLevelName,
  type CheckMessageOptions,
} from './messages.js';
export {
  CheckRegistry,
  Tags,
  type CheckContext,
  type CheckFunction,
  type CheckRun,
  type RegisterOptions,
  type RegisteredCheck,
  type RunChecksOptions,
} from './registry.js';
export { formatCheckReport, type CheckReport, type ReportOptions, type ReportStyle } from './report.js';
export { checkRegistry, registerCheck, runChecks, runSystemCheck, type SystemCheckOptions, type SystemCheckResult } from './run.js';
