/**
 * The configuration `ack-migrate dev` runs with when ACK_MIGRATE_CONFIG is not set: the sandbox's demo cluster,
 * pool-a in production (every batch needs an approval) and pool-b in staging, with the console user as the
 * approver; the console's channel is bound to it, so its commands need no --cluster. The second cluster of the
 * demo fleet (c-demo-sh, staging) is reached with `--cluster c-demo-sh`. Self-approval is on so one person can click through the demo; production configs keep it off.
 */
export const DEMO_CONFIG_YAML = `
clusters:
  - id: c-demo
    name: demo
    region: cn-hangzhou
    environment: production
    pools:
      pool-b: {environment: staging}
    approvers:
      console: [operator]
      cli: [root]
    channels:
      console: [console]
  - id: c-demo-sh
    name: demo-shanghai
    region: cn-shanghai
    environment: staging
    approvers:
      console: [operator]
      cli: [root]
settings:
  allowSelfApproval: true
  approvalTtl: 24h
  maintenanceWindows: []
`;
