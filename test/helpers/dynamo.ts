// A real in-memory dynalite on a free loopback port, a client pointed at it and a fresh table.
export { dynamoClient, startScratchTable as startTestDynamo, type ScratchTable as DynamoTestContext } from '../../local/scratch-table.ts';
