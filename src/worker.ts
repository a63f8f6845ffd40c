// The Web Worker's entry: the runtime's message loop serving the models' tasks. It sits above both layers so that
// neither imports the other (src/runtime knows no model; src/models knows no worker). Vite bundles it as an ES module
// worker; src/worker-url.ts gives its URL to whoever starts workers.
import { MODEL_TASKS } from './models/tasks.ts';
import { serveWorker } from './runtime/worker-scope.ts';

serveWorker(MODEL_TASKS);
