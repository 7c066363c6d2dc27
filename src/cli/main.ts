#!/usr/bin/env node
/** The `linkages` executable (package.json bin). All the logic is in app.ts. */
import { cli } from './app.js';

// The database and every output file are private to their owner.
process.umask(0o077);
await cli(process.argv.slice(2));
