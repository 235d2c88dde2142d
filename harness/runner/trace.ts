/**
 * The Trace of one cell: one event per chain link as it happened, with the evidence the component
 * gave. Assertions (evaluate.ts) read only this, never the components (architecture.md).
 */
import type { ContactEvidence, DetectionEvidence, UploadEvidence } from '../devices/types.js';
import type { PublishOutcome } from '../stack/types.js';

export type TraceEvent =
  | {
      readonly link: 'contact';
      readonly at: number;
      readonly label: string;
      readonly evidence: ContactEvidence;
    }
  | {
      readonly link: 'diagnosis';
      readonly at: number;
      readonly label: string;
      readonly patient: string;
      readonly ok: boolean;
      readonly processingNumber?: string;
      readonly via: 'api' | 'web-screen';
      readonly error?: string;
    }
  | {
      readonly link: 'upload';
      readonly at: number;
      readonly label: string;
      readonly who: string;
      readonly number: string;
      readonly evidence: UploadEvidence;
    }
  | {
      readonly link: 'publish';
      readonly at: number;
      readonly label: string;
      readonly outcome: PublishOutcome;
    }
  | {
      readonly link: 'detection';
      readonly at: number;
      readonly label: string;
      readonly who: string;
      readonly forced: boolean;
      readonly evidence: DetectionEvidence;
    }
  | { readonly link: 'fault'; readonly at: number; readonly label: string; readonly detail: string };

export type Trace = readonly TraceEvent[];
