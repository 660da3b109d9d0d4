import type { FaqTopic } from '../types.js';

/** Before the migration: why, which method, how it runs, how long, how big the batches are. */
export const PLANNING_TOPICS: FaqTopic[] = [
  {
    id: 'why-migrate',
    title: { zh: '为什么要迁移到 containerd', en: 'Why migrate to containerd' },
    answer: {
      zh: '*因为 Kubernetes 1.24 移除了 dockershim*：ACK 1.24 及以上版本不再支持 Docker 作为节点运行时，节点池必须先迁到 containerd，集群才能升级到 1.24+。containerd 是 Kubernetes 的行业标准运行时，比 Docker 启动更快、更省资源、更安全，而且 Docker 的后端本来就是 containerd。',
      en: '*Because Kubernetes 1.24 removed dockershim*: ACK 1.24 and later no longer support Docker as the node runtime, so every Docker node pool must move to containerd before the cluster can be upgraded to 1.24+. containerd is the industry-standard runtime: it starts faster, uses fewer resources and is more secure, and Docker itself runs on containerd underneath.',
    },
    questions: {
      zh: [
        '为什么要迁移到containerd',
        '为什么不能继续使用Docker运行时',
        '1.24版本以后还支持Docker吗',
        'dockershim移除有什么影响',
        '不迁移可以吗 必须迁移吗',
        '升级集群到1.24需要先换运行时吗',
        'containerd有什么优势 和docker比有什么好处',
        '为什么要做这次运行时切换',
      ],
      en: [
        'why migrate to containerd',
        'why is docker no longer supported',
        'do we have to leave docker before the kubernetes 1.24 upgrade',
        'dockershim removal what does it mean',
        'what are the benefits of containerd over docker',
        'can we keep docker as the runtime forever',
        'reason for the runtime switch',
        'is the migration mandatory',
        'is docker still supported on ack',
      ],
    },
  },
  {
    id: 'methods',
    title: { zh: '迁移方案', en: 'Migration methods' },
    answer: {
      zh: '*两种方案*：\n- *原节点池原地升级（推荐）*：节点池「Kubelet 升级」里选运行时升级，逐批替换节点系统盘。本机器人的默认方式（`--mode in-place`）。\n- *新建 containerd 节点池轮转*：新建运行时为 containerd 的节点池并扩容，把旧节点池设为不可调度（或用 Label 指定调度），逐步把应用迁过去，最后下线旧节点池（`--mode rotate`）。',
      en: "*Two ways*:\n- *In place (recommended)*: the node pool's Kubelet upgrade with a runtime upgrade replaces each node's system disk, batch by batch. This is the bot's default (`--mode in-place`).\n- *Rotate*: create a new node pool with containerd and scale it out, make the old pool unschedulable (or steer workloads with labels), move the workloads over, then retire the old pool (`--mode rotate`).",
    },
    questions: {
      zh: [
        '迁移有哪些方案',
        '原地升级还是新建节点池',
        '替盘升级和轮转迁移怎么选',
        '推荐哪种迁移方式',
        '可以新建一个containerd节点池再迁移应用吗',
        '方案一和方案二的区别',
        '原节点池升级 轮转 选哪个',
      ],
      en: [
        'which migration methods are there',
        'in place upgrade versus new node pool rotation',
        'which approach is recommended',
        'can we create a fresh containerd pool and move workloads',
        'difference between replacing the system disk and rotating nodes',
        'options for switching the runtime',
        'rotate mode or in-place mode',
      ],
    },
  },
  {
    id: 'process',
    title: { zh: '替盘升级过程', en: 'What happens to each node' },
    answer: {
      zh: '*每个节点依次经历*：\n- 排水并设为不可调度\n- ECS 关机\n- 更换系统盘（系统盘 ID 变；云盘类型、IP、网卡 MAC 不变）\n- 重新初始化节点，安装 containerd\n- 开机，节点 Ready 后恢复可调度\n开始前先做前置检查，然后按批次进行。',
      en: '*Each node is drained, stopped, given a new system disk with containerd, and started again*:\n- drain and cordon the node\n- stop the ECS instance\n- replace the system disk (new disk ID; disk type, IP and ENI MAC unchanged)\n- re-initialise the node with containerd\n- start it; once Ready it is uncordoned\nA precheck runs first, then the batches follow.',
    },
    questions: {
      zh: [
        '替盘升级的原理是什么',
        '升级的流程和步骤',
        '每个节点升级时会做什么操作',
        '会不会排水 会不会关机重启',
        '换系统盘的过程',
        '节点升级经过哪些阶段',
        '替换系统盘之前会先排水吗',
      ],
      en: [
        'how does the replace system disk upgrade work',
        'what are the steps for each node',
        'is the node cordoned and drained',
        'does the instance get stopped and restarted',
        'explain the upgrade procedure',
        'what happens to a node in the runtime upgrade',
        'sequence of operations per node',
        'does the upgrade drain nodes before replacing the disk',
      ],
    },
  },
  {
    id: 'batch-duration',
    title: { zh: '每批耗时', en: 'How long a batch takes' },
    answer: {
      zh: '*不做快照时每批一般 8 分钟内*。勾选快照时，升级要等快照结束才开始，耗时取决于快照时间（最多容忍 40 分钟）。总时长 ≈ 批次数 × 8 分钟，用 `/migrate plan <节点池>` 查看批次和预计时间。',
      en: '*About 8 minutes a batch* without snapshots. With a snapshot, the upgrade waits until the snapshot is done, so the batch takes as long as the snapshot (up to 40 minutes are tolerated). Total ≈ number of batches × 8 minutes: `/migrate plan <pool>` shows the batches and the ETA.',
    },
    questions: {
      zh: [
        '每个批次升级需要多长时间',
        '一批大概多久',
        '整个迁移要多少时间',
        '预计总耗时',
        '升级速度怎么样 要几分钟',
        '100个节点要升级多久',
      ],
      en: [
        'how long does each batch need',
        'time per batch',
        'how many minutes does the upgrade take',
        'estimated duration of the migration',
        'how long for the whole pool',
        'expected total duration',
        'is it slow, how fast is a batch',
      ],
    },
  },
  {
    id: 'batch-size',
    title: { zh: '每批节点数', en: 'Batch sizes' },
    answer: {
      zh: '*批次按 1、2、4、8…翻倍，直到最大并行数*，之后每批都是最大并行数。例如最大并行数为 4：1、2、4、4、4…。这里默认最大并行数为节点数的 10%（至少 1，最多 10），用 `--max-parallel N` 调整；建议小于应用副本数，避免同一应用的所有副本在同一批升级。',
      en: "*Batches double, 1, 2, 4, 8, …, up to the maximum parallelism*, then every batch uses the maximum. With a maximum of 4: 1, 2, 4, 4, 4, … The default maximum here is 10% of the pool's nodes (at least 1, at most 10); set it with `--max-parallel N`, and keep it below your replica counts so no app has all its replicas in one batch.",
    },
    questions: {
      zh: [
        '每批升级多少个节点',
        '批次节点数怎么确定',
        '最大并行数是多少',
        '第一批为什么只升级一个节点',
        '一次能同时升级几台机器',
        '并发数可以调大吗',
        '每批执行最多节点数怎么设置',
      ],
      en: [
        'how many nodes per batch',
        'what is the batch size',
        'maximum parallelism setting',
        'why is the first batch a single node',
        'how many machines are upgraded concurrently',
        'can we increase max parallel',
        'batches grow 1 2 4 8',
      ],
    },
  },
  {
    id: 'test-first',
    title: { zh: '先测试环境，再低峰期生产', en: 'Test environment first' },
    answer: {
      zh: '*建议先迁测试环境，再在业务低峰期迁生产环境*。开始前确认没有工作负载依赖节点上的 Docker 构建镜像，并先跑 `/migrate precheck <节点池>`。',
      en: '*Yes: migrate a test environment first, then production in off-peak hours.* Before you start, confirm no workload builds images with Docker on the nodes, and run `/migrate precheck <pool>`.',
    },
    questions: {
      zh: [
        '应该先在测试集群迁移吗',
        '生产环境什么时候迁移',
        '建议的迁移顺序',
        '预发环境先试一下',
        '低峰期做迁移',
        '生产迁移的时机',
        '能在业务高峰期迁移吗',
        '迁移前要做哪些准备',
      ],
      en: [
        'should we migrate the test cluster first',
        'when to migrate production',
        'recommended order of environments',
        'try on staging before prod',
        'do it off peak hours',
        'best timing for the production migration',
        'is it safe to migrate during peak business hours',
        'what should we prepare before migrating',
        'best practice for rollout',
      ],
    },
  },
];
