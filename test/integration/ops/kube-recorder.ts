/**
 * A recording reverse proxy in front of the sandbox's Kubernetes API: every request the gateway sends passes
 * through unchanged (watch streams included) and its method and target are kept, so a test can say exactly which
 * verbs on which resources the code used, as the apiserver's authorizer would see them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigYaml } from '../../../src/sandbox/k8s/index.js';

export interface RecordedRequest {
  method: string;
  url: string;
}

export interface KubeRecorder {
  url: string;
  /** A kubeconfig file that points at the recorder. */
  kubeconfig: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startKubeRecorder(upstream: string, cluster: string): Promise<KubeRecorder> {
  const target = new URL(upstream);
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/' });
    const forward = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'ack-migrate-recorder-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml(url, { cluster }), { mode: 0o600 });
  return {
    url,
    kubeconfig,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
