/**
 * The nightly pipeline: every stage of `linkages run`, in order. Each stage is
 * a module in src/ with one entry point; see each module for what it reads and
 * writes.
 */
import type { Stage } from '../src/pipeline/stage.js';
import { ingestStage } from '../src/ingest/index.js';
import { checkStage } from '../src/checks/index.js';
import { normalizeStage } from '../src/normalize/index.js';
import { matchStage } from '../src/match/index.js';
import { classifyStage } from '../src/classify/index.js';
import { assignStage } from '../src/assign/index.js';
import { notifyStage } from '../src/notify/index.js';
import { exportStage } from '../src/export/index.js';

export const nightly: readonly Stage[] = [ingestStage, checkStage, normalizeStage, matchStage, classifyStage, assignStage, notifyStage, exportStage];
