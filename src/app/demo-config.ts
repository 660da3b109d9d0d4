/**
 * The configuration `ack-migrate dev` runs with when ACK_MIGRATE_CONFIG is not set: the sandbox's demo cluster,
 * pool-a in production (every batch needs an approval) and pool-b in staging, with the console user as the
 * approver. Self-approval is on so one person can click through the demo; production configs keep it off.
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
settings:
  allowSelfApproval: true
  approvalTtl: 24h
  maintenanceWindows: []
`;
