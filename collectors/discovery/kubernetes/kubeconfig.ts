import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { readSecret, type SecretError, type SecretRef } from '../../../util/secret.js';
import type { Logger } from '../../../util/log.js';
import type { KubernetesSDConfig } from './config.js';
import { KubernetesDiscoveryError } from './errors.js';
import type { InClusterEnv } from './incluster.js';

/** SECRET_AUTH names the auth provider whose header vigil computes from a SecretRef on every request. */
const SECRET_AUTH = 'vigil-secret';

/**
 * loadKubeConfig makes the client configuration for one kubernetes_sd_configs entry, the way
 * Prometheus chooses it:
 *
 * - `api_server`: that URL, with the entry's authorization and tls_config;
 * - `kubeconfig_file`: the file's current context (exec plugins, client certificates and tokens
 *   as kubectl would use them);
 * - neither: in-cluster, as client-go's InClusterConfig: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`,
 *   the service-account token, and its CA when readable (otherwise the system roots, with a warning).
 *
 * Tokens named by a file are read again on every request, so a rotated service-account token
 * (bound tokens rotate hourly) is picked up without a restart. It throws a KubernetesDiscoveryError.
 */
export function loadKubeConfig(cfg: KubernetesSDConfig, env: InClusterEnv, logger: Logger): KubeConfig {
  const kc = new KubeConfig();
  if (cfg.apiServer !== undefined) {
    const tls = cfg.tls;
    const auth = cfg.authorization;
    const user: User = {
      name: 'vigil',
      ...optional('certFile', tls?.certFile),
      ...optional('keyFile', tls?.keyFile),
      ...optional('authProvider', auth === undefined ? undefined : secretAuth(kc, auth.type, auth.credentials)),
    };
    kc.loadFromClusterAndUser(
      {
        name: 'vigil',
        server: cfg.apiServer,
        skipTLSVerify: plainHTTP(cfg.apiServer) || (tls?.insecureSkipVerify ?? false),
        ...optional('caFile', tls?.caFile),
        ...optional('tlsServerName', tls?.serverName),
      },
      user,
    );
    return kc;
  }
  if (cfg.kubeconfigFile !== undefined) {
    try {
      kc.loadFromFile(cfg.kubeconfigFile);
    } catch (err) {
      throw new KubernetesDiscoveryError('kubeconfig', `cannot load kubeconfig ${cfg.kubeconfigFile}: ${(err as Error).message}`);
    }
    const cluster = kc.getCurrentCluster();
    if (cluster === null) {
      throw new KubernetesDiscoveryError('kubeconfig', `kubeconfig ${cfg.kubeconfigFile} has no cluster for its current context ${JSON.stringify(kc.getCurrentContext())}`);
    }
    // client-node refuses a plain-http server unless TLS checks are off; they mean nothing there.
    if (plainHTTP(cluster.server) && !cluster.skipTLSVerify) {
      kc.clusters = kc.clusters.map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c));
    }
    return kc;
  }
  if (env.host === undefined || env.host === '' || env.port === undefined || env.port === '') {
    throw new KubernetesDiscoveryError(
      'not_in_cluster',
      'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined (or set api_server or kubeconfig_file)',
    );
  }
  const tokenFile = join(env.serviceAccountDir, 'token');
  try {
    readSecret({ file: tokenFile });
  } catch (err) {
    throw new KubernetesDiscoveryError('service_account', (err as SecretError).message);
  }
  const caFile = join(env.serviceAccountDir, 'ca.crt');
  let caReadable = true;
  try {
    readFileSync(caFile);
  } catch {
    caReadable = false;
    logger.warn('in-cluster CA not readable; verifying the API server against the system roots', { file: caFile });
  }
  const host = isIPv6(env.host) ? `[${env.host}]` : env.host;
  const user: User = { name: 'vigil-service-account', authProvider: secretAuth(kc, 'Bearer', { file: tokenFile }) };
  kc.loadFromClusterAndUser({ name: 'in-cluster', server: `https://${host}:${env.port}`, skipTLSVerify: false, ...optional('caFile', caReadable ? caFile : undefined) }, user);
  return kc;
}

/**
 * secretAuth makes every request of a user with the returned auth provider carry
 * `Authorization: <type> <secret>`, the secret read when the request is made.
 */
function secretAuth(kc: KubeConfig, type: string, ref: SecretRef): { name: string; config: object } {
  kc.addAuthenticator({
    isAuthProvider: (u) => (u.authProvider as { name?: string } | undefined)?.name === SECRET_AUTH,
    async applyAuthentication(_u, opts) {
      const o = opts as { headers?: Record<string, string | string[] | number | undefined> };
      o.headers ??= {};
      o.headers['Authorization'] = `${type} ${readSecret(ref)}`;
    },
  });
  return { name: SECRET_AUTH, config: {} };
}

function plainHTTP(server: string): boolean {
  return server.startsWith('http:');
}

/** optional spreads `{key: value}` only when value is set (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
