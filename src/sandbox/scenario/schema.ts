/**
 * zod schemas for the scenario file and for the Kubernetes kinds the sandbox runs. Manifests are checked only
 * as far as the world relies on them (a Deployment needs a template with containers and a number of replicas),
 * and anything else in them is kept as written.
 */
import { z } from 'zod';
import { clusterVersionSchema, kubeletVersionSchema } from './versions.js';

const labels = z.record(z.string(), z.string());

/** `manifests:` with nothing after it is YAML null: read it as an empty list. */
function orEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => v ?? [], schema);
}

export const timingSchema = z
  .object({
    drain: z.number().nonnegative(),
    stop: z.number().nonnegative(),
    replaceSystemDisk: z.number().nonnegative(),
    init: z.number().nonnegative(),
    start: z.number().nonnegative(),
    snapshot: z.number().nonnegative(),
    join: z.number().nonnegative(),
    drainGrace: z.number().nonnegative(),
  })
  .partial()
  .strict();

const rate = z.number().gt(0).max(1);
/** `faults:` entries that act on API calls (docs/contracts.md#scenario-file-format). */
export const apiFaultSchemas = [
  z
    .object({
      action: z.string().min(1),
      status: z.number().int().min(400).max(599),
      code: z.string().min(1),
      rate,
    })
    .strict(),
  z.object({ action: z.string().min(1), timeoutMs: z.number().int().positive(), rate }).strict(),
] as const;

/** One cluster of a scenario: the single-cluster form, or one item of a fleet's `clusters:`. */
const clusterShape = {
  cluster: z
    .object({
      id: z.string().min(1),
      name: z.string().min(1),
      region: z.string().min(1),
      version: clusterVersionSchema,
    })
    .strict(),
  nodePools: z
    .array(
      z
        .object({
          id: z.string().min(1),
          name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lower-case DNS label'),
          runtime: z.enum(['docker', 'containerd']),
          runtimeVersion: z.union([z.string(), z.number()]).transform(String),
          nodes: z.number().int().nonnegative(),
          instanceType: z.string().min(1),
          labels: labels.default({}),
          environment: z.string().optional(),
        })
        .strict(),
    )
    .min(1),
  manifests: orEmpty(z.array(z.unknown())),
  manifestFiles: orEmpty(z.array(z.string().min(1))),
};

/** What a scenario says once for all its clusters. */
const sharedShape = {
  timing: timingSchema.default({}),
  faults: orEmpty(
    z.array(
      z.union([
        z
          .object({
            node: z.string().min(1),
            step: z.enum(['drain', 'stop', 'replace-disk', 'init', 'start', 'ready', 'snapshot']),
            error: z.string().min(1),
          })
          .strict(),
        ...apiFaultSchemas,
      ]),
    ),
  ),
  faultSeed: z.number().int().optional(),
  versionMetadata: z
    .array(
      z.looseObject({
        version: z.string().min(1),
        runtimes: z.array(z.looseObject({ name: z.string().min(1), version: z.string().min(1) })),
      }),
    )
    .optional(),
};

export const scenarioFileSchema = z.object({ ...clusterShape, ...sharedShape }).strict();

/** A fleet (docs/contracts.md#scenario-file-format): `clusters:` of the single-cluster shape, shared timing and faults. */
export const fleetFileSchema = z
  .object({ clusters: z.array(z.object(clusterShape).strict()).min(1), ...sharedShape })
  .strict();

const metadata = z.looseObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a lower-case DNS name'),
  namespace: z.string().min(1).optional(),
  labels: labels.optional(),
  annotations: labels.optional(),
});

const container = z.looseObject({ name: z.string().min(1), image: z.string().min(1) });
const podSpec = z.looseObject({
  containers: z.array(container).min(1),
  nodeSelector: labels.optional(),
  nodeName: z.string().optional(),
  tolerations: z.array(z.looseObject({})).optional(),
  volumes: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
});
const template = z.looseObject({ metadata: z.looseObject({ labels: labels.optional() }).optional(), spec: podSpec });
const selector = z.looseObject({
  matchLabels: labels.optional(),
  matchExpressions: z
    .array(
      z.looseObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
const intOrString = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+%?$/, 'must be N or N%')]);

/** Per-kind checks of the parts the world uses; other kinds only need apiVersion, kind and metadata.name. */
export const kindSchemas: Record<string, z.ZodType> = {
  Deployment: z.looseObject({
    spec: z.looseObject({ replicas: z.number().int().nonnegative().optional(), selector, template }),
  }),
  ReplicaSet: z.looseObject({
    spec: z.looseObject({ replicas: z.number().int().nonnegative().optional(), selector, template }),
  }),
  StatefulSet: z.looseObject({
    spec: z.looseObject({ replicas: z.number().int().nonnegative().optional(), selector, template }),
  }),
  DaemonSet: z.looseObject({ spec: z.looseObject({ selector, template }) }),
  Job: z.looseObject({
    spec: z.looseObject({ parallelism: z.number().int().nonnegative().optional(), template }),
  }),
  CronJob: z.looseObject({
    spec: z.looseObject({
      schedule: z.string().min(1),
      jobTemplate: z.looseObject({ spec: z.looseObject({ template }) }),
    }),
  }),
  Pod: z.looseObject({ spec: podSpec }),
  Node: z.looseObject({
    status: z
      .looseObject({ nodeInfo: z.looseObject({ kubeletVersion: kubeletVersionSchema.optional() }).optional() })
      .optional(),
  }),
  PodDisruptionBudget: z.looseObject({
    spec: z
      .looseObject({ selector, minAvailable: intOrString.optional(), maxUnavailable: intOrString.optional() })
      .refine((s) => !(s.minAvailable !== undefined && s.maxUnavailable !== undefined), {
        message: 'minAvailable and maxUnavailable are mutually exclusive',
      }),
  }),
};

export const objectHeadSchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata,
});

/** `spec.replicas: Invalid input: expected number, received string` → `spec.replicas must be a number`. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  // A union (e.g. a node fault or an API fault): the branch that came closest says what is wrong.
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]?.[0];
    if (best) return describeIssue({ ...best, path: [...issue.path, ...best.path] });
  }
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the object';
  if (issue.code === 'invalid_type') {
    const expected =
      issue.expected === 'array' || issue.expected === 'object' ? `an ${issue.expected}` : `a ${issue.expected}`;
    return `${where} must be ${expected}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'array') {
    return `${where} must have at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
  }
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field ${issue.keys.join(', ')}`;
  return `${where}: ${issue.message}`;
}
