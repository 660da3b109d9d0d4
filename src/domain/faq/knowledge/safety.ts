import type { FaqTopic } from '../types.js';

/** During the migration: what can go wrong, what is kept, what can be undone. */
export const SAFETY_TOPICS: FaqTopic[] = [
  {
    id: 'rollback',
    title: { zh: '能否回滚', en: 'Rollback' },
    answer: {
      zh: '*不支持回退*：从 Docker 迁到 containerd 后无法回滚到 Docker。请先在测试环境验证。用轮转方案时，旧节点池在下线前仍然保留，可以把应用调度回去。中止（abort）迁移只会停止后续批次，已完成的节点不会被还原。',
      en: '*No. Moving from Docker to containerd cannot be rolled back.* Prove it in a test environment first. With the rotate method the old Docker pool stays until you remove it, so workloads can move back before then. Aborting a migration stops the next batches but never undoes nodes already done.',
    },
    questions: {
      zh: [
        '迁移到containerd以后支持回退吗',
        '可以回滚到docker吗',
        '升级后能恢复原来的运行时吗',
        '有没有回退方案',
        '降级回docker',
        '切回docker运行时',
      ],
      en: [
        'can we roll back to docker',
        'is rollback supported',
        'how to revert the runtime change',
        'downgrade back to docker',
        'undo the migration',
        'switch back to docker if something goes wrong',
        'rollback plan',
      ],
    },
  },
  {
    id: 'data-loss',
    title: { zh: '数据会不会丢', en: 'Data loss' },
    answer: {
      zh: '*数据盘不受影响；系统盘会被替换，上面的数据会丢失*。不要在系统盘保存重要数据，或提前备份（也可以勾选快照）。系统盘上的 hostPath 数据、emptyDir 也会丢；在节点上手动改过的 kubelet/运行时配置可能被覆盖。',
      en: '*Data disks are kept; the system disk is replaced, so anything stored on it is lost.* Keep no important data on the system disk, or back it up first (or take a snapshot). hostPath data on the system disk and emptyDir volumes go too, and manual kubelet or runtime config changes on the node may be overwritten.',
    },
    questions: {
      zh: [
        '迁移过程中节点数据会丢失吗',
        '系统盘上的数据还在吗',
        '数据盘受影响吗',
        '需要提前备份什么',
        '本地文件会被删除吗',
        'hostPath 数据会保留吗',
      ],
      en: [
        'will node data be lost',
        'what happens to files on the system disk',
        'is the data disk affected',
        'do we need a backup first',
        'are local files deleted',
        'hostpath volumes data kept',
        'root disk erased',
      ],
    },
  },
  {
    id: 'ip-change',
    title: { zh: '节点 IP 会不会变', en: 'Does the node IP change' },
    answer: {
      zh: '*不会，实例 IP 地址保持不变*，云盘类型和弹性网卡 MAC 地址也不变，只有系统盘 ID 会变。机器人在每个节点升级后都会核对 IP 和 MAC。',
      en: '*No. The instance IP address stays the same*, and so do the disk type and the ENI MAC address; only the system disk ID changes. The bot verifies IP and MAC after each node.',
    },
    questions: {
      zh: [
        '替换系统盘后节点的IP地址会变吗',
        '升级后私网IP变不变',
        'MAC地址会变化吗',
        '系统盘ID会变吗',
        '白名单要不要更新',
        '节点的弹性网卡会换吗',
        '节点IP保持不变吗',
      ],
      en: [
        'will the node ip change',
        'does the private ip address stay',
        'is the mac address preserved',
        'does the eni change',
        'do we need to update ip allowlists',
        'same address after replacing the disk',
        'does the system disk id change',
        'does each node keep its address',
      ],
    },
  },
  {
    id: 'snapshot',
    title: { zh: '快照', en: 'Snapshots' },
    answer: {
      zh: '*快照可选，但会拖慢升级*：勾选后要等该节点系统盘快照完成才开始升级。节点池升级最多容忍 40 分钟快照时间，超时的节点判定失败，此时它还没有开始升级。系统盘上没有业务数据就可以不勾选（这里用 `--snapshot` 开启）。',
      en: '*Optional, and it slows the upgrade*: the node is upgraded only after its system-disk snapshot finishes. The upgrade tolerates 40 minutes of snapshot time; after that the node fails as timed out, before anything was done to it. If you keep no business data on the system disk, skip it (`--snapshot` turns it on here).',
    },
    questions: {
      zh: [
        '升级时需要选中快照吗',
        '快照要多久',
        '快照超过40分钟会怎样',
        '不勾选快照有风险吗',
        '为什么升级卡在快照',
        '系统盘快照有什么用',
      ],
      en: [
        'do we need snapshots',
        'should the snapshot option be enabled',
        'snapshot exceeded 40 minutes',
        'why is the upgrade waiting for the snapshot',
        'skip the snapshot to go faster',
        'back up the system disk with a snapshot',
      ],
    },
  },
  {
    id: 'business-impact',
    title: { zh: '对业务的影响', en: 'Impact on workloads' },
    answer: {
      zh: '*Pod 实现了优雅退出、且多副本分布在多个节点上时，对业务没有影响*。替盘前会对节点排水，Pod 会被驱逐并重新调度；单副本应用会有短暂中断。把最大并行数设得小于副本数，避免同一应用的所有副本在同一批升级；前置检查会标出单副本和 PDB 问题。',
      en: '*No impact if pods shut down gracefully and each app runs several replicas spread over nodes.* Each node is drained before its disk is replaced, so pods are evicted and rescheduled; single-replica apps have a short outage. Keep the max parallelism below the replica count so one batch never takes all replicas of an app; the precheck flags single replicas and PDB problems.',
    },
    questions: {
      zh: [
        '升级过程业务是否受影响',
        '迁移会导致服务中断吗',
        '会不会停机',
        'pod会被驱逐吗 用户有感知吗',
        '单副本应用怎么办',
        '怎么保证业务不中断',
        '优雅退出 多副本',
        '避免同一个应用的多个副本在同一个批次内升级',
      ],
      en: [
        'is there business impact during the upgrade',
        'will there be an outage',
        'does the migration cause downtime',
        'are pods evicted and rescheduled',
        'what about single replica deployments',
        'zero downtime possible',
        'will production traffic be affected',
        'prevent all replicas of one app from being upgraded in the same batch',
      ],
    },
  },
  {
    id: 'drain-pdb',
    title: { zh: 'PDB 与排水时限', en: 'PodDisruptionBudgets' },
    answer: {
      zh: '*排水会遵守 PDB，最多等 30 分钟*；超过 30 分钟，即使 Pod 没迁走，节点也会继续升级。前置检查会把当前不允许任何中断的 PDB 标为阻断项：先扩容副本或放宽 PDB。',
      en: '*Drain honours PodDisruptionBudgets for up to 30 minutes*; after that ACK upgrades the node even if pods have not moved. The precheck marks PDBs that allow no disruption right now as blockers: scale up the replicas or relax the PDB first.',
    },
    questions: {
      zh: ['PodDisruptionBudget 会卡住升级吗', '排水等待多长时间', 'pdb 导致驱逐失败', 'minAvailable 设置会影响升级吗'],
      en: [
        'does a pod disruption budget block the upgrade',
        'drain timeout',
        'pdb allows zero disruptions',
        'minAvailable equals replicas',
      ],
    },
  },
  {
    id: 'scale-during-upgrade',
    title: { zh: '升级期间扩缩容', en: 'Scaling during the upgrade' },
    answer: {
      zh: '*只能扩容，不能缩容*：节点池升级进行中可以增加节点，但不能移除节点。',
      en: '*Scale-out only*: while a node pool upgrade runs you can add nodes but not remove them.',
    },
    questions: {
      zh: ['升级时可以扩缩容吗', '节点池升级中能移除节点吗', '弹性伸缩会不会缩掉节点', '升级中增加节点'],
      en: [
        'can we scale the node pool during the upgrade',
        'remove nodes while upgrading',
        'cluster autoscaler scale down during migration',
        'add nodes during the upgrade',
      ],
    },
  },
  {
    id: 'node-failure',
    title: { zh: '节点升级失败', en: 'When a node fails' },
    answer: {
      zh: '*迁移会立即停下（stop the line）*：暂停，并在线程里说明哪个节点、为什么失败，提供「重试」「跳过节点」「中止」按钮，绝不会自动进入下一批。快照超时的节点还没有开始升级。中止不会还原已完成的节点。',
      en: '*The migration stops the line*: it pauses, the thread says which node failed and why, and offers Retry, Skip node and Abort. It never moves on to the next batch by itself. A node that timed out on its snapshot was not touched yet. Abort never undoes finished nodes.',
    },
    questions: {
      zh: ['节点升级失败怎么办', '批次失败后会怎样', '升级报错了如何处理', '出错后能重试吗', '某台机器一直不Ready'],
      en: [
        'what if a node fails to upgrade',
        'batch failed what now',
        'retry a failed node',
        'node never becomes ready after upgrade',
        'does it continue after an error',
      ],
    },
  },
];
