// `node --import reinhardt/register app.ts`: run TypeScript with no build step (tsx's loader,
// resolved from the framework's own dependencies so a project needs no loader of its own).
import { register } from 'tsx/esm/api';

register();
