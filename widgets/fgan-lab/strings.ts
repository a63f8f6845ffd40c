// Every visible string of <fgan-lab>, in English and Chinese. Slots in braces ({n}) are filled in by `fill`.
// Formulas are written between $…$ and typeset with KaTeX (ui/Tex.svelte), so prose and figure read the same;
// aria strings stay plain.
import type { LocalizedText } from '../../src/math/types.ts';
import { RUN_STRINGS } from '../ui/run-strings.ts';

export const S = {
  ...RUN_STRINGS,
  title: { en: 'f-GAN lab: train a toy GAN under any f-divergence', zh: 'f-GAN 实验室：用任意 f 散度训练一个小 GAN' },

  // status bar
  idleDraw: { en: 'Draw a target on the field to start', zh: '先在图上画出目标分布' },
  divergedTitle: { en: 'Training broke down and was stopped.', zh: '训练崩溃，已自动停止。' },
  divergedWhy: {
    en: 'Most likely a learning rate too high for this divergence (critic {dLr}, generator {gLr} with {opt}). Divergences with fast-growing conjugates $f^*$ (KL, Pearson χ², Jeffrey, α > 1) need smaller steps. Lower the learning rates, or change any setting to start a new run.',
    zh: '最可能是学习率（learning rate）对这个散度来说太大了（判别器 {dLr}，生成器 {gLr}，优化器 {opt}）。共轭函数 $f^*$ 增长很快的散度（KL、Pearson χ²、Jeffrey、α > 1）需要更小的步长。请调低学习率，或改动任意设置重新开始训练。',
  },
  lowerLr: { en: 'Lower both learning rates ×10 and reset', zh: '两个学习率都降低 10 倍并重置' },
  errorTitle: { en: 'The training worker stopped with an error.', zh: '训练线程出错停止了。' },
  errorWhy: {
    en: 'It ran on the {backend} backend. Graphics drivers and WebAssembly support vary between browsers; the plain-JavaScript cpu backend is slower but works everywhere.',
    zh: '它运行在 {backend} 后端上。各浏览器的显卡驱动与 WebAssembly 支持不尽相同；纯 JavaScript 的 cpu 后端较慢，但到处都能运行。',
  },
  useCpu: { en: 'Switch to cpu and reset', zh: '改用 cpu 并重置' },

  // field
  fieldTitle: { en: 'Data space: the critic’s view', zh: '数据空间：判别器眼中的世界' },
  fieldAria: {
    en: 'Critic output g_f(V(x)) over the plane, with real samples, generated samples and the generator’s gradients',
    zh: '判别器输出 g_f(V(x)) 在平面上的分布，以及真实样本、生成样本和生成器的梯度',
  },
  layerField: { en: 'critic $g_f(V(x))$', zh: '判别器 $g_f(V(x))$' },
  layerReal: { en: 'real data P', zh: '真实数据 P' },
  layerFake: { en: 'generated Q', zh: '生成数据 Q' },
  layerArrows: { en: 'pull on G’s samples', zh: '生成样本受到的梯度' },
  layerGrid: { en: 'warped noise grid G(z)', zh: '噪声网格的像 G(z)' },
  keyFake: { en: '“fake”', zh: '判为假' },
  keyReal: { en: '“real”', zh: '判为真' },
  keyThreshold: { en: "dashed: $g_f(V) = f'(1)$", zh: "虚线：$g_f(V) = f'(1)$" },
  drawHint: { en: 'Draw some points here', zh: '在这里画一些点' },
  drawKeys: {
    en: 'Drawing area for the target. Arrow keys move the cursor (with Shift, faster), Enter or Space adds a point there, Backspace removes the last point.',
    zh: '目标分布的绘制区。方向键移动光标（按住 Shift 移动更快），回车或空格在光标处加一个点，退格键删除最后一个点。',
  },
  drawHelp: {
    en: 'Drag on the field to add points ({n}/{max}); training restarts when you lift the pointer.',
    zh: '在图上拖动即可添加点（{n}/{max}）；松开后重新开始训练。',
  },
  drawOwn: { en: '✎ Draw your own target', zh: '✎ 自己画目标分布' },
  clearPoints: { en: 'Clear points', zh: '清除所有点' },
  coverage: {
    en: 'Modes covered: {covered} of {total} · {share}% of samples within 3σ of a mode',
    zh: '覆盖的模式：{covered} / {total} · {share}% 的样本落在某个模式的 3σ 之内',
  },
  coverageNote: {
    en: 'a mode counts once it holds {min}% of the samples; solid circles are covered',
    zh: '一个模式至少含 {min}% 的样本才算覆盖；实线圆为已覆盖',
  },

  // curves
  lossesTitle: { en: 'Losses', zh: '损失' },
  lossesAria: { en: 'Critic and generator losses over training steps', zh: '判别器与生成器的损失随训练步数的变化' },
  criticLoss: { en: 'critic loss $-F$', zh: '判别器损失 $-F$' },
  generatorLoss: { en: 'generator loss', zh: '生成器损失' },
  boundTitle: { en: 'The bound: $F \\le D_f(P\\Vert Q)$', zh: '下界：$F \\le D_f(P\\Vert Q)$' },
  boundAria: {
    en: 'The critic’s lower bound F against an independent estimate of the true divergence D_f, over training steps',
    zh: '判别器给出的下界 F 与真实散度 D_f 的独立估计随训练步数的变化',
  },
  boundF: { en: 'critic’s bound $F$', zh: '判别器的下界 $F$' },
  trueD: { en: '$D_f(P\\Vert Q)$, estimated', zh: '$D_f(P\\Vert Q)$ 估计值' },
  boundNote: {
    en: 'For the true expectations $F \\le D_f(P\\Vert Q)$. The dashed line estimates $D_f$ without the critic: the known target density against a kernel density estimate of G’s samples, both smoothed by the same kernel, on the box shown. It has a floor above zero (about 0.007 for JS with 512 samples when $Q = P$) and misses structure finer than its kernel, so the two lines need not be ordered; on the default run the estimate stays above $F$ and falls as $Q$ approaches $P$.',
    zh: '对真正的期望而言 $F \\le D_f(P\\Vert Q)$。虚线是不经过判别器的 $D_f$ 估计：用已知的目标密度与生成样本的核密度估计相比，两者用同一个核平滑，只在图中方框内计算。它有一个高于零的下限（$Q = P$、512 个样本时，JS 约为 0.007），也看不到比核更细的结构，所以两条线的上下关系并不固定；在默认设置下，估计值始终在 $F$ 上方，并随 $Q$ 逼近 $P$ 而下降。',
  },
  boundNoteShort: { en: 'What the two lines are', zh: '这两条线是什么' },
  boundTab: { en: 'Bound $F$ vs $D_f$', zh: '下界 $F$ 与 $D_f$' },
  stepAxis: { en: 'step', zh: '步数' },
  noHistory: { en: 'Curves appear once training starts.', zh: '开始训练后这里会出现曲线。' },

  // controls
  groupDivergence: { en: 'Divergence', zh: '散度' },
  groupData: { en: 'Data', zh: '数据' },
  groupNetworks: { en: 'Networks', zh: '网络' },
  groupTraining: { en: 'Training', zh: '训练' },
  groupRun: { en: 'Run', zh: '运行' },
  generator: { en: 'Generator G', zh: '生成器 G' },
  critic: { en: 'Critic V', zh: '判别器 V' },
  lambdaNote: {
    en: 'λ multiplies the generator’s gradient. Under SGD it scales G’s step (one step on the loss moves G by λ·lr·its gradient). Under Adam it almost cancels: Adam divides each gradient by a running average of its own size, so only its ε = 10⁻⁷ notices λ, and the two learning rates set the step ratio. Changing λ mid-run shifts the next steps until Adam’s averages catch up.',
    zh: 'λ 乘在生成器的梯度上。在 SGD 下它放大 G 的步长（对损失走一步，G 移动 λ·学习率·其梯度）。在 Adam 下它几乎被抵消：Adam 把每个梯度除以其自身大小的滑动平均，只有其中的 ε = 10⁻⁷ 会察觉到 λ，步长之比由两个学习率决定。训练中途改变 λ，会改变接下来的步长，直到 Adam 的滑动平均跟上为止。',
  },
  newSeed: { en: 'New seed', zh: '换一个种子' },
  zeroForcing: {
    en: 'Zero-forcing: $f(0) = \\infty$, so $Q$ pays without bound for mass where $P$ has none. Theory expects it to seek modes and drop some rather than spread over all of them; on the ring with its tuned defaults it often still finds them.',
    zh: '零强制（zero-forcing）：$f(0) = \\infty$，$Q$ 在 $P$ 没有质量的地方放任何质量都要付出无限的代价。理论上它倾向于寻找模式、丢掉一部分，而不是铺满所有模式；在环形目标和调好的默认设置下，它往往仍能找到全部模式。',
  },
  perDivergence: {
    en: 'Choosing a divergence also sets the learning rates, critic steps and clipping measured for it; you can still change them.',
    zh: '选择散度时，学习率、判别器步数与梯度裁剪也会换成为它实测过的默认值；之后仍可自行调整。',
  },
  restartLegendShort: { en: '↻: changing it restarts the run', zh: '↻：改动后重新开始训练' },
  restartLegend: {
    en: 'Settings marked ↻ change the model or the data and start a new run; the others apply while it trains.',
    zh: '标有 ↻ 的设置会改变模型或数据，因而重新开始训练；其余设置在训练中即时生效。',
  },
  speedMax: { en: 'max', zh: '不限' },

  // objective
  objectiveTitle: { en: 'What is being optimised', zh: '正在优化的目标' },
  criticMaximises: { en: 'The critic $V$ maximises the variational bound', zh: '判别器 $V$ 最大化变分下界' },
  withThis: { en: 'With {name}:', zh: '对 {name}：' },
  substituted: { en: 'so, written out,', zh: '代入后即' },
  thresholdNote: { en: "A point is called real where $T(x) > f'(1) =$ ", zh: "当 $T(x) > f'(1) =$ " },
  thresholdNoteEnd: { en: '.', zh: ' 时，该点被判为真。' },
  generatorAlt: {
    en: 'The generator G maximises the mean critic score $T$ on its own samples (the analogue of the “$-\\log D$” trick: strong gradients while $Q$ is far from $P$):',
    zh: '生成器 $G$ 最大化判别器在生成样本上的平均得分 $T$（相当于“$-\\log D$”技巧：$Q$ 离 $P$ 还远时梯度依然够大）：',
  },
  generatorSat: {
    en: 'The generator $G$ minimises $F$ itself; only the second term depends on $\\theta$ (the original, saturating min-max):',
    zh: '生成器 $G$ 直接最小化 $F$；只有第二项与 $\\theta$ 有关（原始的、会饱和的极小极大）：',
  },
  singleLoss: {
    en: 'Single-loss mode: one backward pass of one loss updates both players ($\\operatorname{sg}$ = stop-gradient). The bracket is 0 in value and in its $\\omega$-gradient, and gives $\\theta$ exactly $\\lambda$ times the generator’s own gradient:',
    zh: '单一损失模式：对同一个损失做一次反向传播就更新两个玩家（$\\operatorname{sg}$ 为停止梯度）。括号内的值恒为 0，对 $\\omega$ 的梯度也为 0，对 $\\theta$ 的梯度恰为生成器自身梯度的 $\\lambda$ 倍：',
  },
  alternating: {
    en: 'Alternating mode: {k} critic step(s) on $-F$, then one generator step.',
    zh: '交替模式：先对 $-F$ 做 {k} 步判别器更新，再做一步生成器更新。',
  },
} satisfies Record<string, LocalizedText>;

export type StringKey = keyof typeof S;

export { fill } from '../ui/format.ts';
