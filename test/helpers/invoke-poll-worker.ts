// Runs the poll worker's handler once, in this process, on the SQSEvent in the file named by the first
// argument, as Lambda would: the module is imported (init) with the environment it is given, then
// invoked. Prints the handler's result and this process's peak resident set as the last line (JSON).
import { readFileSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';

const event = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as SQSEvent;
const { handler } = await import('../../functions/poll-worker.ts');
const result = await handler(event);
const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
process.stdout.write(`\n${JSON.stringify({ result, peakMb: Number(hwm) / 1024 })}\n`);
