import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { type ConfigFile, configFileSchema } from './config-file.js';
import { parseRedisUrl, type RedisTarget, redisPassword } from './redis-url.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface SlackConfig {
  botToken: string;
  signingSecret: string | undefined;
  appToken: string | undefined;
  apiUrl: string | undefined;
}

export interface DingTalkConfig {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  mode: 'stream' | 'http';
  apiUrl: string | undefined;
  cardTemplateId: string | undefined;
  /** HTTP mode: the bot's public URL for card clicks, registered with DingTalk (docs/contracts.md#configuration). */
  callbackUrl?: string | undefined;
}

/**
 * Where cloud credentials come from (docs/contracts.md#environment-variables): a static AccessKey or STS token, or a
 * source that renews them: a RAM role ARN (AssumeRole), the ECS instance's RAM role, OIDC / RRSA (the variables ACK's
 * RRSA injects), or a credentials URI.
 */
export type CloudCredentialSource =
  | { type: 'access_key' }
  | { type: 'sts' }
  | { type: 'ram_role_arn'; roleArn: string; roleSessionName: string; stsEndpoint: string | undefined }
  | { type: 'ecs_ram_role'; roleName: string | undefined }
  | {
      type: 'oidc_role_arn';
      roleArn: string;
      oidcProviderArn: string;
      oidcTokenFilePath: string;
      roleSessionName: string;
      stsEndpoint: string | undefined;
    }
  | { type: 'credentials_uri'; credentialsURI: string };

export interface CloudConfig {
  /** Empty when the credentials come from a source that renews them (RRSA, an ECS role, a credentials URI). */
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string | undefined;
  credential: CloudCredentialSource;
  region: string;
  csEndpoint: string | undefined;
  ecsEndpoint: string | undefined;
}

export interface Config {
  redisUrl: string | undefined;
  port: number;
  logLevel: string;
  dataDir: string;
  kubeconfig: string | undefined;
  defaultClusterId: string | undefined;
  configPath: string | undefined;
  slack: SlackConfig | undefined;
  dingtalk: DingTalkConfig | undefined;
  cloud: CloudConfig | undefined;
  dashboard: { user: string; password: string } | undefined;
  file: ConfigFile;
  /** Every secret value present, so the logger and chat renderers can mask them wherever they appear. */
  secrets: string[];
}

export interface ConfigSources {
  /** Text of the YAML file named by ACK_MIGRATE_CONFIG, read by the caller (this function does no I/O). */
  configText?: string;
}

function fail(variable: string, why: string): never {
  throw new AppError('CONFIG', `${variable} ${why}`, { details: { variable } });
}

function optional(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function url(env: Env, name: string): string | undefined {
  const v = optional(env, name);
  if (v !== undefined && !/^https?:\/\/[^\s]+$/.test(v) && !/^[\w.-]+(:\d+)?$/.test(v)) {
    fail(name, `is not a URL or host: "${v}"`);
  }
  return v;
}

function readSlack(env: Env): SlackConfig | undefined {
  const botToken = optional(env, 'SLACK_BOT_TOKEN');
  const signingSecret = optional(env, 'SLACK_SIGNING_SECRET');
  const appToken = optional(env, 'SLACK_APP_TOKEN');
  if (!botToken) {
    if (signingSecret || appToken)
      fail('SLACK_BOT_TOKEN', 'is required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
    return undefined;
  }
  if (!signingSecret && !appToken) {
    fail('SLACK_SIGNING_SECRET', 'is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  return { botToken, signingSecret, appToken, apiUrl: url(env, 'SLACK_API_URL') };
}

function readDingTalk(env: Env): DingTalkConfig | undefined {
  const names = ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET', 'DINGTALK_ROBOT_CODE'] as const;
  const values = names.map((n) => optional(env, n));
  if (values.every((v) => v === undefined)) return undefined;
  const missing = names.find((_, i) => values[i] === undefined);
  if (missing) fail(missing, 'is required when any DINGTALK_* credential is set');
  const mode = optional(env, 'DINGTALK_MODE') ?? 'stream';
  if (mode !== 'stream' && mode !== 'http') fail('DINGTALK_MODE', `must be "stream" or "http", not "${mode}"`);
  return {
    clientId: values[0]!,
    clientSecret: values[1]!,
    robotCode: values[2]!,
    mode,
    apiUrl: url(env, 'DINGTALK_API_URL'),
    cardTemplateId: optional(env, 'DINGTALK_CARD_TEMPLATE_ID'),
    callbackUrl: url(env, 'DINGTALK_CALLBACK_URL'),
  };
}

function readCredential(env: Env, hasKey: boolean, hasToken: boolean): CloudCredentialSource | undefined {
  const roleArn = optional(env, 'ALIBABA_CLOUD_ROLE_ARN');
  const sessionName = optional(env, 'ALIBABA_CLOUD_ROLE_SESSION_NAME') ?? 'ack-migrate';
  const stsEndpoint = optional(env, 'ALIBABA_CLOUD_STS_ENDPOINT');
  const oidcProviderArn = optional(env, 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN');
  const oidcTokenFile = optional(env, 'ALIBABA_CLOUD_OIDC_TOKEN_FILE');
  const uri = optional(env, 'ALIBABA_CLOUD_CREDENTIALS_URI');
  const ecsRole = optional(env, 'ALIBABA_CLOUD_ECS_METADATA');
  if (oidcProviderArn || oidcTokenFile) {
    if (!roleArn) fail('ALIBABA_CLOUD_ROLE_ARN', 'is required with ALIBABA_CLOUD_OIDC_PROVIDER_ARN (RRSA)');
    if (!oidcProviderArn) fail('ALIBABA_CLOUD_OIDC_PROVIDER_ARN', 'is required with ALIBABA_CLOUD_OIDC_TOKEN_FILE');
    if (!oidcTokenFile) fail('ALIBABA_CLOUD_OIDC_TOKEN_FILE', 'is required with ALIBABA_CLOUD_OIDC_PROVIDER_ARN');
    return {
      type: 'oidc_role_arn',
      roleArn,
      oidcProviderArn,
      oidcTokenFilePath: oidcTokenFile,
      roleSessionName: sessionName,
      stsEndpoint,
    };
  }
  if (roleArn) {
    if (!hasKey)
      fail('ALIBABA_CLOUD_ROLE_ARN', 'needs ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET to assume the role (or RRSA)');
    return { type: 'ram_role_arn', roleArn, roleSessionName: sessionName, stsEndpoint };
  }
  if (uri) return { type: 'credentials_uri', credentialsURI: uri };
  if (ecsRole) return { type: 'ecs_ram_role', roleName: ecsRole === 'true' ? undefined : ecsRole };
  if (hasKey) return hasToken ? { type: 'sts' } : { type: 'access_key' };
  return undefined;
}

function readCloud(env: Env): CloudConfig | undefined {
  const accessKeyId = optional(env, 'ALIBABA_CLOUD_ACCESS_KEY_ID');
  const accessKeySecret = optional(env, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  if (accessKeySecret && !accessKeyId)
    fail('ALIBABA_CLOUD_ACCESS_KEY_ID', 'is required with ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  if (accessKeyId && !accessKeySecret)
    fail('ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'is required with ALIBABA_CLOUD_ACCESS_KEY_ID');
  const securityToken = optional(env, 'ALIBABA_CLOUD_SECURITY_TOKEN');
  const credential = readCredential(env, !!accessKeyId, !!securityToken);
  if (!credential) return undefined;
  const region = optional(env, 'ALIBABA_CLOUD_REGION');
  if (!region) fail('ALIBABA_CLOUD_REGION', 'is required with cloud credentials (e.g. cn-hangzhou)');
  return {
    accessKeyId: accessKeyId ?? '',
    accessKeySecret: accessKeySecret ?? '',
    securityToken,
    credential,
    region,
    csEndpoint: url(env, 'ALIBABA_CLOUD_CS_ENDPOINT'),
    ecsEndpoint: url(env, 'ALIBABA_CLOUD_ECS_ENDPOINT'),
  };
}

function readFile(text: string | undefined, path: string | undefined): ConfigFile {
  if (text === undefined) return configFileSchema.parse({});
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new AppError('CONFIG', `ACK_MIGRATE_CONFIG (${path ?? 'config'}) is not valid YAML`, { cause: error });
  }
  const result = configFileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new AppError(
      'CONFIG',
      `ACK_MIGRATE_CONFIG (${path ?? 'config'}): ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      {
        cause: result.error,
      },
    );
  }
  return result.data;
}

/**
 * Reads the whole configuration once, from the environment and the (already read) config file text. Pure: no
 * I/O, no defaults taken from the process, so tests give it any env they like. Throws an AppError('CONFIG')
 * naming the first missing or bad variable.
 */
export function loadConfig(env: Env, sources: ConfigSources = {}): Config {
  const portText = optional(env, 'PORT') ?? '3000';
  const port = z.coerce.number().int().min(0).max(65535).safeParse(portText);
  if (!port.success) fail('PORT', `must be a port number, not "${portText}"`);
  const redisUrl = optional(env, 'REDIS_URL');
  if (redisUrl) checkRedisUrl(redisUrl, optional(env, 'ACK_MIGRATE_QUEUE_PREFIX'));
  const configPath = optional(env, 'ACK_MIGRATE_CONFIG');
  if (configPath && sources.configText === undefined)
    fail('ACK_MIGRATE_CONFIG', `names a file that could not be read: ${configPath}`);
  const dashUser = optional(env, 'BULL_BOARD_USER');
  const dashPassword = optional(env, 'BULL_BOARD_PASSWORD');
  if (dashUser && !dashPassword) fail('BULL_BOARD_PASSWORD', 'is required with BULL_BOARD_USER');

  const slack = readSlack(env);
  const dingtalk = readDingTalk(env);
  const cloud = readCloud(env);
  const secrets = [
    slack?.botToken,
    slack?.signingSecret,
    slack?.appToken,
    dingtalk?.clientSecret,
    cloud?.accessKeySecret,
    cloud?.securityToken,
    dashPassword,
    redisUrl ? redisPassword(redisUrl) : undefined,
    redisUrl ? sentinelPassword(redisUrl) : undefined,
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);

  return {
    redisUrl,
    port: port.data,
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    dataDir: optional(env, 'ACK_MIGRATE_DATA_DIR') ?? '.data',
    kubeconfig: optional(env, 'KUBECONFIG'),
    defaultClusterId: optional(env, 'ACK_CLUSTER_ID'),
    configPath,
    slack,
    dingtalk,
    cloud,
    dashboard: dashUser && dashPassword ? { user: dashUser, password: dashPassword } : undefined,
    file: readFile(sources.configText, configPath),
    secrets,
  };
}

/** The forms of src/config/redis-url.ts; on a Redis Cluster the queue prefix needs a {hash tag} (one slot). */
function checkRedisUrl(redisUrl: string, prefix: string | undefined): void {
  let target: RedisTarget;
  try {
    target = parseRedisUrl(redisUrl);
  } catch (error) {
    fail('REDIS_URL', (error as Error).message);
  }
  if (target.kind === 'cluster' && prefix !== undefined && !/\{[^}]+\}/.test(prefix))
    fail('ACK_MIGRATE_QUEUE_PREFIX', `needs a {hash tag} on a Redis Cluster, e.g. {${prefix}} (got "${prefix}")`);
}

function sentinelPassword(redisUrl: string): string | undefined {
  try {
    const target = parseRedisUrl(redisUrl);
    return target.kind === 'sentinel' ? target.sentinelPassword : undefined;
  } catch {
    return undefined;
  }
}
