/**
 * The credentials the signed calls use: a static AccessKey or STS token as given, or a @alicloud/credentials client
 * that renews them before they expire (RAM role ARN, ECS instance RAM role, OIDC / RRSA, a credentials URI). The
 * client asks its source again whenever the session is stale, so a migration outlives any one token
 * (docs/architecture.md#processes-and-data-flow).
 */
import * as CredentialsModule from '@alicloud/credentials';
import type { CloudConfig } from '../../config/load-config.js';

type CredentialClient = InstanceType<typeof CredentialsModule.default.default>;
type CredentialClass = new (config: InstanceType<typeof CredentialsModule.Config>) => CredentialClient;

/** ESM importing a CommonJS module sees `module.exports` as default; the class may sit one `default` deeper. */
function credentialClass(): CredentialClass {
  let c: unknown = CredentialsModule.default;
  for (let i = 0; i < 3 && typeof c !== 'function'; i++) c = (c as { default?: unknown } | undefined)?.default;
  if (typeof c !== 'function') throw new Error('@alicloud/credentials: Credential class not found');
  return c as CredentialClass;
}

/** Undefined for a static AccessKey or STS token (the client signs with them directly). */
export function renewingCredential(config: CloudConfig): CredentialClient | undefined {
  const source = config.credential;
  if (source.type === 'access_key' || source.type === 'sts') return undefined;
  const Credential = credentialClass();
  const fields: Record<string, unknown> = { type: source.type };
  if (source.type === 'ram_role_arn') {
    Object.assign(fields, {
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      roleArn: source.roleArn,
      roleSessionName: source.roleSessionName,
      ...(source.stsEndpoint ? { stsEndpoint: source.stsEndpoint } : {}),
    });
  } else if (source.type === 'oidc_role_arn') {
    Object.assign(fields, {
      roleArn: source.roleArn,
      oidcProviderArn: source.oidcProviderArn,
      oidcTokenFilePath: source.oidcTokenFilePath,
      roleSessionName: source.roleSessionName,
      ...(source.stsEndpoint ? { stsEndpoint: source.stsEndpoint } : {}),
    });
  } else if (source.type === 'ecs_ram_role') {
    Object.assign(fields, source.roleName ? { roleName: source.roleName } : {});
  } else {
    fields.credentialsURI = source.credentialsURI;
  }
  return new Credential(new CredentialsModule.Config(fields));
}
