/**
 * Kubernetes versions a scenario may name (docs/contracts.md#scenario-file-format): `major.minor.patch` with an
 * optional ACK suffix `-aliyun.N`, for a minor ACK offered with Docker or containerd node pools (1.16 to 1.33).
 * The cluster's version is written as ACK reports it (`1.22.15-aliyun.1`); a kubelet's as Kubernetes reports it,
 * with a leading `v`.
 */
import { z } from 'zod';

const ACK_MINORS = { min: 16, max: 33 } as const;

const VERSION = /^1\.(\d{1,2})\.\d{1,3}(?:-aliyun\.\d{1,3})?$/;

function isAckVersion(text: string): boolean {
  const match = VERSION.exec(text);
  const minor = Number(match?.[1]);
  return match !== null && minor >= ACK_MINORS.min && minor <= ACK_MINORS.max;
}

function versionSchema(what: string, prefix: '' | 'v') {
  const rule = `${prefix ? 'v + ' : ''}major.minor.patch with an optional -aliyun.N, 1.${ACK_MINORS.min} to 1.${ACK_MINORS.max}, e.g. ${prefix}1.22.15-aliyun.1`;
  return z.string().refine((text) => text.startsWith(prefix) && isAckVersion(text.slice(prefix.length)), {
    error: (issue) => `${JSON.stringify(String(issue.input).slice(0, 80))} is not a ${what} of ACK (${rule})`,
  });
}

/** `cluster.version`, e.g. `1.22.15-aliyun.1`. */
export const clusterVersionSchema = versionSchema('Kubernetes version', '');

/** `status.nodeInfo.kubeletVersion` of a Node manifest, e.g. `v1.22.15-aliyun.1`. */
export const kubeletVersionSchema = versionSchema('kubelet version', 'v');
