// Builds the AWS SDK clients from configuration. With an endpoint set (the local hub, tests) the
// clients talk to the embedded emulators with throwaway credentials; without one they use the
// normal credential chain (Lambda's role).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface AwsEndpoints {
  region: string;
  dynamodbEndpoint?: string;
  snsEndpoint?: string;
  sqsEndpoint?: string;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function clientOptions(region: string, endpoint: string | undefined) {
  return endpoint ? { region, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 } : { region };
}

export function createDynamoClient(e: AwsEndpoints): DynamoDBClient {
  return new DynamoDBClient(clientOptions(e.region, e.dynamodbEndpoint));
}

export function createSnsClient(e: AwsEndpoints): SNSClient {
  return new SNSClient(clientOptions(e.region, e.snsEndpoint));
}

export function createSqsClient(e: AwsEndpoints): SQSClient {
  // Queue URLs from the emulator name hosts that do not resolve here; the explicit endpoint wins.
  return new SQSClient({ ...clientOptions(e.region, e.sqsEndpoint), useQueueUrlAsEndpoint: !e.sqsEndpoint });
}
