// Deployment settings from CDK context: defaults, and every mistake reported before anything is built.
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../infra/settings.ts';

const settings = (context: Record<string, unknown>) => readSettings(new App({ context }).node);

describe('readSettings', () => {
  it('defaults to prod, every 15 minutes, keeping the table', () => {
    expect(settings({})).toEqual({ stage: 'prod', domain: 'example.org', alarmEmail: undefined, pollSchedule: 'rate(15 minutes)', destroyTable: false, publicUrl: undefined, logRetentionDays: 90 });
  });

  it('reads -c values as the CLI passes them (strings)', () => {
    expect(settings({ stage: 'dev-alex', domain: 'Hub.ICAT.example', alarmEmail: 'ops@icat.example', pollSchedule: 'rate(1 hour)', destroyTable: 'true', publicUrl: 'https://feeds.icat.example/', logRetentionDays: '30' })).toEqual({
      stage: 'dev-alex', domain: 'hub.icat.example', alarmEmail: 'ops@icat.example', pollSchedule: 'rate(1 hour)', destroyTable: true, publicUrl: 'https://feeds.icat.example', logRetentionDays: 30,
    });
  });

  it('lists every problem at once', () => {
    expect(() => settings({ stage: 'Prod_1', domain: 'localhost', alarmEmail: 'ops', pollSchedule: 'every 5 minutes', destroyTable: 'yes', logRetentionDays: '10' })).toThrow(
      /stage must[\s\S]*domain must[\s\S]*alarmEmail must[\s\S]*pollSchedule must[\s\S]*destroyTable must[\s\S]*logRetentionDays must/,
    );
  });
});
