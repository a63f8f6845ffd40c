// The part of a widget's state that the shared task controller writes: settings, the run's status and message,
// the backend that actually runs (and why it is not the one asked for), and the latest frame from the worker.
// A widget's state class extends it with its own derived values and history.
import type { BackendFailure } from '../../src/runtime/protocol.ts';

export type TaskStatus = 'idle' | 'loading' | 'training' | 'paused' | 'diverged' | 'error';

export class TaskState<Settings extends object, Frame> {
  settings = $state<Settings>() as Settings;
  frame = $state.raw<Frame | null>(null);
  status = $state<TaskStatus>('idle');
  /** why the run stopped (diverged, or an error), shown with a way out */
  message = $state<string | null>(null);
  backend = $state<string | null>(null);
  /** set when the backend running is not the one asked for, or when 'auto' had to skip one that failed */
  fallbackReason = $state<string | null>(null);
  failures = $state.raw<BackendFailure[]>([]);

  constructor(settings: Settings) {
    this.settings = { ...settings };
  }

  /** Takes a frame from the worker. */
  receive(frame: Frame): void {
    this.frame = frame;
  }

  /** Forgets the run: a reset or a setting that rebuilds the model. */
  clearRun(): void {
    this.frame = null;
    this.message = null;
  }
}
