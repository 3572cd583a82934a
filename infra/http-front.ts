// The HTTP side: the HTTP functions behind one API Gateway HTTP API (throttled, access-logged), each
// path routed to its function (infra/http-functions.ts, HTTP_ROUTES), and a CloudFront distribution in
// front of it. CloudFront caches the merged feeds (/feeds/*) for as long as the hub's Cache-Control
// allows and answers readers' conditional requests itself (304), revalidating with the hub's ETag;
// everything else passes through uncached.
import { Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AllowedMethods, CacheCookieBehavior, CacheHeaderBehavior, CachePolicy, CacheQueryStringBehavior, Distribution, HttpVersion,
  OriginProtocolPolicy, OriginRequestPolicy, OriginSslPolicy, PriceClass, ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Access log lines name the route template (`GET /api/subscribers/{email}`), never the request path:
 * a path may hold a subscriber's address, and addresses stay out of every log.
 */
export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    integrationLatency: '$context.integrationLatency',
  }),
);
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { HubFunction } from './hub-function.ts';

export interface WebProps {
  stage: string;
  /** Paths (any method) and the function that serves them. */
  routes: { fn: HubFunction; paths: string[] }[];
  /** Serves every path no route names (`$default`). */
  fallback: HubFunction;
  logRetention: RetentionDays;
}

/** Requests per second across the API, and the burst above it; readers hit CloudFront, not this. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 };

export class Web extends Construct {
  readonly httpApi: HttpApi;
  readonly distribution: Distribution;
  readonly logBucket: Bucket;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `icat-hub-${props.stage}`,
      description: 'ICAT Syndication Hub: merged feeds, the JSON API, alerts and the web pages',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('Fallback', props.fallback.fn),
    });
    for (const { fn, paths } of props.routes) {
      const integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn.fn);
      for (const path of paths) this.httpApi.addRoutes({ path, methods: [HttpMethod.ANY], integration });
    }
    const accessLogs = new LogGroup(this, 'AccessLogs', { logGroupName: `/icat-hub/${props.stage}/api-access`, retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    new HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The hub authenticates in its own code (admin token, member API keys as bearer tokens); the merged feeds and the member list are public by design.',
    });

    this.logBucket = new Bucket(this, 'CdnLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logging writes with an ACL grant.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'This bucket holds the CDN access logs; logging access to it would need another bucket for its own logs, without end.' });

    const origin = new HttpOrigin(Fn.select(2, Fn.split('/', this.httpApi.apiEndpoint)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    const feedsCache = new CachePolicy(this, 'FeedsCache', {
      cachePolicyName: `icat-hub-${props.stage}-feeds`,
      comment: 'Merged feeds: the hub\'s Cache-Control decides; ?limit= is part of the key',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(60),
      maxTtl: Duration.hours(1),
      queryStringBehavior: CacheQueryStringBehavior.allowList('limit'),
      // No cookies and no extra headers: conditional requests (If-None-Match / If-Modified-Since) are
      // answered by CloudFront only when no cookies are forwarded.
      cookieBehavior: CacheCookieBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    this.distribution = new Distribution(this, 'Cdn', {
      comment: `ICAT Syndication Hub (${props.stage})`,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin,
        // The API: never cached; every viewer header but Host (so Authorization reaches the hub).
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        compress: true,
      },
      additionalBehaviors: {
        '/feeds/*': {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
          cachePolicy: feedsCache,
          compress: true,
        },
      },
    });
    Validations.of(this.distribution).acknowledge({ id: 'AwsSolutions-CFR1', reason: 'The feeds are public information for readers in every country; no geographic restriction is wanted.' });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: 'No WAF: writes need a token, API Gateway throttles the origin, and cached feeds absorb read floods; a web ACL (about USD 6 a month) can be attached without code changes if abuse appears.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: 'The distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; a custom domain with its own certificate (TLSv1.2_2021) is a deployment option.',
    });
  }

  /** The address readers use: the distribution's own domain. */
  get publicUrl(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
