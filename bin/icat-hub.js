#!/usr/bin/env -S node --max-old-space-size=256
// Runs the TypeScript CLI through tsx's loader, so the package needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../local/cli/run.ts');
