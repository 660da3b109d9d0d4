import type { FaqTopic } from '../types.js';

/** After the migration: what still works, what changes on the node, what to clean up. */
export const AFTER_TOPICS: FaqTopic[] = [
  {
    id: 'compatibility',
    title: { zh: 'containerd 与 Docker 的兼容性', en: 'Compatibility with Docker' },
    answer: {
      zh: '*一般情况下工作负载不受影响*：工作负载不依赖容器运行时，Docker 的后端本来就是 containerd，镜像照常拉取和运行，不用重新构建。会受影响的是直接使用节点 Docker 的东西：`docker build`、Docker 命令和 API、挂载 `docker.sock`、读取 `/var/lib/docker` 的日志采集。前置检查会列出它们。',
      en: '*Workloads are normally unaffected*: they do not depend on the runtime, and Docker itself runs on containerd, so images pull and run as before with no rebuild. What breaks is anything that uses Docker on the node: `docker build`, the Docker CLI and API, `docker.sock` mounts, log agents reading `/var/lib/docker`. The precheck lists these.',
    },
    questions: {
      zh: [
        'containerd和Docker的兼容情况',
        '迁移后应用还能正常运行吗',
        '现有镜像在containerd下能用吗',
        '需要重新打镜像吗',
        '工作负载依赖容器运行时吗',
        '哪些东西迁移后会不兼容',
        '应用需要做改造吗',
        '应用代码需要修改吗',
      ],
      en: [
        'is containerd compatible with docker',
        'will existing workloads keep working',
        'can containerd run our current images',
        'must images be rebuilt',
        'what breaks after moving to containerd',
        'do applications depend on the container runtime',
        'do workloads need any changes',
        'do we need code changes in our apps',
      ],
    },
  },
  {
    id: 'dockerfile',
    title: { zh: 'Dockerfile 要不要改', en: 'Dockerfiles' },
    answer: {
      zh: '*Dockerfile 主要语法不变，不需要重写*。请关注与运行时环境相关的配置：基础镜像的兼容性、环境变量的设置、运行时命令（ENTRYPOINT/CMD）的定义，确保镜像在 containerd 环境下能顺利构建和运行。',
      en: '*Dockerfile syntax stays the same; no rewrite is needed.* Check what depends on the runtime environment: base image compatibility, environment variables and the runtime command definitions (ENTRYPOINT/CMD), so the image builds and runs under containerd.',
    },
    questions: {
      zh: [
        'Dockerfile需要修改吗',
        'Dockerfile的语法变了吗',
        'Dockerfile要注意什么',
        '基础镜像兼容性',
        '环境变量和启动命令要改吗',
      ],
      en: [
        'do dockerfiles need changes',
        'is dockerfile syntax the same',
        'what to check in a dockerfile',
        'base image compatibility',
        'entrypoint cmd env vars in the dockerfile',
      ],
    },
  },
  {
    id: 'docker-build',
    title: { zh: '节点上不能再 docker build', en: 'Building images' },
    answer: {
      zh: '*迁移后节点上不能再用 `docker build` 构建镜像*（containerd 没有构建功能），但拉取镜像不受影响。改为：\n- *ACR 镜像构建（推荐）*：按 Dockerfile 规则自动触发构建（基于 BuildKit），完成后自动推送到镜像仓库。\n- *手动构建*：另建一台 ECS，安装 Docker 后用 Docker 命令构建。\n- 也可以在集群里用 kaniko、BuildKit。镜像要推送到仓库后 containerd 才能使用。',
      en: '*`docker build` no longer works on the nodes* (containerd cannot build images); pulling images is unaffected. Build elsewhere:\n- *ACR image build (recommended)*: builds from your Dockerfile rules (BuildKit-based) and pushes to the registry automatically.\n- *By hand*: a separate ECS instance with Docker installed.\n- Or in-cluster builders such as kaniko or BuildKit. Push images to a registry: containerd only sees pushed images.',
    },
    questions: {
      zh: [
        '之前在节点上用docker构建镜像现在怎么办',
        '迁移后还能docker build吗',
        '镜像构建放到哪里',
        'CI流水线依赖节点docker构建',
        'ACR 企业版构建镜像',
        '镜像拉取受影响吗',
      ],
      en: [
        'we relied on docker to build images on nodes',
        'where to build container images after migration',
        'docker build not working on containerd nodes',
        'can we still run docker build on the nodes',
        'ci pipeline builds images on the node',
        'acr image build buildkit kaniko',
        'is image pulling affected',
      ],
    },
  },
  {
    id: 'docker-commands',
    title: { zh: 'Docker 命令对应的 crictl 命令', en: 'docker → crictl commands' },
    answer: {
      zh: '*迁移后节点上不能再用 Docker 命令或 Docker API，改用 `crictl`*：\n- `docker ps` → `crictl ps`（`-a` 看全部；`crictl pods` 看 Pod）\n- `docker images` → `crictl images`\n- `docker logs` → `crictl logs [-f] [--tail N]`\n- `docker exec -it` → `crictl exec -it <容器> sh`\n- `docker inspect` → `crictl inspect`（镜像 `inspecti`，Pod `inspectp`）\n- `docker pull` / `rmi` → `crictl pull` / `crictl rmi`\n- `docker stats` → `crictl stats`\n- `docker stop` / `rm` → `crictl stop` / `rm`（更好的做法：通过 Kubernetes 管理 Pod）\n- `docker build` / `push`：节点上没有对应命令\n`ctr` 也可以用，但要加 `-n k8s.io` 才能看到 Kubernetes 的容器。',
      en: '*Docker commands and the Docker API no longer work on the node; use `crictl`*:\n- `docker ps` → `crictl ps` (`-a` for all; `crictl pods` for pods)\n- `docker images` → `crictl images`\n- `docker logs` → `crictl logs [-f] [--tail N]`\n- `docker exec -it` → `crictl exec -it <container> sh`\n- `docker inspect` → `crictl inspect` (image: `inspecti`, pod: `inspectp`)\n- `docker pull` / `rmi` → `crictl pull` / `crictl rmi`\n- `docker stats` → `crictl stats`\n- `docker stop` / `rm` → `crictl stop` / `rm` (better: manage pods through Kubernetes)\n- `docker build` / `push`: no equivalent on the node\n`ctr` works too, but needs `-n k8s.io` to see Kubernetes containers.',
    },
    questions: {
      zh: [
        '迁移后docker命令不能用了',
        'containerd命令和docker命令的对应关系',
        '怎么查看容器列表',
        '怎么进入容器',
        '怎么看容器日志',
        'crictl 常用命令',
        'ctr 命令怎么用',
      ],
      en: [
        'docker commands no longer work on the node',
        'crictl equivalents of docker commands',
        'how to see running containers',
        'how to get a shell in a container',
        'view container logs on the node',
        'docker ps docker exec docker logs replacement',
        'ctr namespace k8s.io',
        'list images and pods on the node',
      ],
    },
  },
  {
    id: 'docker-dir-cleanup',
    title: { zh: '清理旧的 Docker 目录', en: 'Cleaning up the Docker directory' },
    answer: {
      zh: '*运行时切换后，如不再需要，请手动删除数据盘中的 Docker 目录*。除了集群管理的容器、镜像、日志，这个目录里也可能有你自己创建的文件，所以不会自动清理。迁移完成后可以用 `/migrate cleanup <节点池>`（需审批）删除。',
      en: '*Once the runtime has switched, delete the old Docker directory on the data disk by hand if you no longer need it.* Besides containers, images and logs it can hold files you created yourself, so it is not removed automatically. After a migration, `/migrate cleanup <pool>` removes it (with an approval).',
    },
    questions: {
      zh: [
        'Docker目录没有清理占用磁盘空间怎么办',
        '旧的docker数据可以删除吗',
        '数据盘上的docker目录',
        '迁移后磁盘空间不足',
        '怎么释放docker占用的空间',
      ],
      en: [
        'docker directory not cleaned up uses disk space',
        'can we remove the old docker data',
        'free up space after the runtime switch',
        'leftover docker files on the data disk',
        'how to clean up var lib docker',
      ],
    },
  },
  {
    id: 'container-logs',
    title: { zh: '容器日志路径和格式', en: 'Container log files' },
    answer: {
      zh: '*日志文件的位置和格式都会变*：containerd 下由 kubelet 写入 `/var/log/pods/<ns>_<pod>_<uid>/<容器>/<n>.log`（`/var/log/containers/` 下有软链接），`/var/lib/docker/containers` 里不再有日志。每行是 CRI 格式（`<时间> stdout F <内容>`），不是 Docker 的 JSON，按 `json` 解析的日志采集要改用 CRI 解析。日志轮转改由 kubelet 的 `containerLogMaxSize`/`containerLogMaxFiles` 控制。',
      en: "*Log files move and change format.* On containerd the kubelet writes `/var/log/pods/<ns>_<pod>_<uid>/<container>/<n>.log` (linked from `/var/log/containers/`); nothing lands in `/var/lib/docker/containers`. Lines are CRI format (`<time> stdout F <message>`), not Docker JSON, so log agents parsing `json` must switch to a CRI parser. Rotation is the kubelet's `containerLogMaxSize`/`containerLogMaxFiles`, not Docker `log-opts`.",
    },
    questions: {
      zh: ['容器日志存放在哪里', '日志格式有变化吗', 'filebeat logtail 采集日志要调整吗', '日志轮转怎么配置'],
      en: [
        'where are container log files stored',
        'log collector agent configuration',
        'cri log format instead of json',
        'fluent bit filebeat parsing breaks',
        'log rotation settings',
      ],
    },
  },
  {
    id: 'docker-socket',
    title: { zh: 'docker.sock 不再存在', en: 'docker.sock is gone' },
    answer: {
      zh: '*迁移后节点上没有 `/var/run/docker.sock`*。挂载它的 Pod（Docker-in-Docker、CI 构建 agent、旧版监控或日志 agent）会失效；CRI socket 是 `unix:///run/containerd/containerd.sock`。前置检查会把挂载 `docker.sock` 列为阻断项：先把这些 agent 升级到支持 containerd 的版本，或移出该节点池。',
      en: '*`/var/run/docker.sock` no longer exists on the nodes.* Pods that mount it (Docker-in-Docker, CI agents, old monitoring or log agents) stop working; the CRI socket is `unix:///run/containerd/containerd.sock`. The precheck treats `docker.sock` mounts as blockers: upgrade those agents to containerd-aware versions or move them off the pool.',
    },
    questions: {
      zh: [
        '挂载docker.sock的容器怎么办',
        'docker in docker 还能用吗',
        'containerd 的 socket 路径',
        '监控组件访问docker socket',
      ],
      en: [
        'pods that mount docker sock',
        'docker in docker after migration',
        'containerd socket path',
        'monitoring agent talks to the docker daemon',
      ],
    },
  },
  {
    id: 'registry-mirrors',
    title: { zh: '镜像仓库与加速器配置', en: 'Registry mirrors' },
    answer: {
      zh: '*镜像加速和私有仓库配置从 `/etc/docker/daemon.json` 改到 containerd*：`/etc/containerd/certs.d/<仓库域名>/hosts.toml`（由 `/etc/containerd/config.toml` 的 `config_path` 启用）。daemon.json 里的 `registry-mirrors`、`insecure-registries` 不再生效。注意：节点池升级可能覆盖在节点上手动改的运行时配置。',
      en: '*Mirror and private-registry settings move from `/etc/docker/daemon.json` to containerd*: `/etc/containerd/certs.d/<registry host>/hosts.toml` (enabled by `config_path` in `/etc/containerd/config.toml`). `registry-mirrors` and `insecure-registries` in daemon.json no longer apply. Note that node pool upgrades can overwrite runtime config edited by hand on the node.',
    },
    questions: {
      zh: ['镜像加速器怎么配置', '私有镜像仓库配置', 'daemon.json 的配置迁移', '不安全仓库 insecure registry'],
      en: [
        'registry mirror configuration for containerd',
        'insecure registry setting',
        'daemon json settings after migration',
        'hosts toml certs.d',
      ],
    },
  },
];
