/**
 * The Trace of one cell: one event per chain link as it happened, with the evidence the component
 * gave. Assertions (evaluate.ts) read only this, never the components (architecture.md).
 */
import type { ContactEvidence, DetectionEvidence, UploadEvidence } from '../devices/types.js';
import type { PublishOutcome } from '../stack/types.js';
import type { ExportListing } from './export-observer.js';

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
  | {
      /** What the server listed, read by ichiren as an observer before a check (or at the cell's end). */
      readonly link: 'listing';
      readonly at: number;
      readonly label: string;
      /** The phone whose check follows; absent for the reading at the cell's end. */
      readonly before?: string;
      readonly listing: ExportListing;
    }
  | { readonly link: 'fault'; readonly at: number; readonly label: string; readonly detail: string };

export type Trace = readonly TraceEvent[];
