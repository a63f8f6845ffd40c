// Every visible string of <fgan-fit>, in English and Chinese. Slots in braces ({n}) are filled in by `fill`;
// formulas between $…$ are typeset by KaTeX (ui/Tex.svelte); aria strings stay plain.
export { fill } from '../ui/format.ts';
import { RUN_STRINGS } from '../ui/run-strings.ts';

export const S = {
  ...RUN_STRINGS,
  title: { en: 'Fitting one Gaussian to a mixture, exactly and by an f-GAN', zh: '用一个高斯拟合混合分布：精确最小化与 f-GAN' },

  again: { en: 'Train again from the start', zh: '从头再训练一次' },
  finished: { en: 'Done: {steps} steps', zh: '完成：{steps} 步' },
  divergedTitle: { en: 'Training broke down and was stopped.', zh: '训练崩溃，已自动停止。' },
  errorTitle: { en: 'The training worker failed.', zh: '训练用的 worker 出错了。' },
  useCpu: { en: 'Switch to the cpu backend', zh: '切换到 cpu 后端' },
  exactError: { en: 'The exact fit could not be computed:', zh: '无法计算精确拟合：' },

  densityTitle: { en: 'Densities', zh: '密度' },
  densityAria: { en: 'The mixture P, the exact best Gaussian and the f-GAN\'s current Gaussian, as densities over x', zh: '混合分布 P、精确最优高斯和 f-GAN 当前的高斯的密度曲线' },
  legendP: { en: 'mixture $P$', zh: '混合分布 $P$' },
  legendExact: { en: 'exact: $\\min D_f$', zh: '精确：$\\min D_f$' },
  legendLocal: { en: 'a local minimum', zh: '局部极小' },
  legendTrained: { en: 'f-GAN: $N(\\mu,\\sigma^2)$ now', zh: 'f-GAN：当前的 $N(\\mu,\\sigma^2)$' },
  criticTitle: { en: 'The critic', zh: '判别器' },
  criticAria: { en: 'The critic\'s output g_f(V(x)) against the optimal critic f\'(p/q) for the current Gaussian', zh: '判别器输出 g_f(V(x)) 与当前高斯下的最优判别器 f\'(p/q)' },
  legendCritic: { en: 'critic $T(x)=g_f(V(x))$', zh: '判别器 $T(x)=g_f(V(x))$' },
  legendOptimal: { en: 'optimal $T^*=f\'(p/q)$', zh: '最优 $T^*=f\'(p/q)$' },
  legendThreshold: { en: '$f\'(1)$: $p=q$', zh: '$f\'(1)$：$p=q$' },

  mapTitle: { en: '$D_f(P\\,\\|\\,N(\\mu,\\sigma^2))$ over $(\\mu,\\sigma)$, and the path of training', zh: '$D_f(P\\,\\|\\,N(\\mu,\\sigma^2))$ 随 $(\\mu,\\sigma)$ 的变化，以及训练的路径' },
  mapAria: { en: 'Contour map of the divergence from the mixture to N(mu, sigma squared), with the exact minimum, other local minima and the path of (mu, sigma) during training', zh: '混合分布到 N(μ, σ²) 的散度等高线图，标出精确最小值、其他局部极小和训练中 (μ, σ) 的路径' },
  legendDescent: { en: 'gradient descent on the exact $D_f$', zh: '在精确的 $D_f$ 上做梯度下降' },
  legendPath: { en: 'the f-GAN\'s $(\\mu,\\sigma)$ during training', zh: 'f-GAN 训练中的 $(\\mu,\\sigma)$' },
  mapStart: { en: 'start', zh: '起点' },
  mapMin: { en: 'minimum', zh: '最小值' },
  mapLocal: { en: 'local minimum', zh: '局部极小' },
  mapHover: { en: 'at μ = {mu}, σ = {sigma}: D = {d}', zh: 'μ = {mu}，σ = {sigma} 处：D = {d}' },
  mapHint: { en: 'The stronger the colour, the smaller $D_f$. Point at the map to read it; click to start the generator there.', zh: '颜色越浓，$D_f$ 越小。把指针移到图上可读出数值；点击可让生成器从该处出发。' },
  infinite: { en: '+∞ (the tails do not integrate)', zh: '+∞（尾部积分发散）' },

  tableTitle: { en: 'Exact minimum against the f-GAN', zh: '精确最小值与 f-GAN 的结果' },
  tableCaption: {
    en: 'Rows fill in as you train each divergence on this mixture; click a row to train it. The f-GAN\'s (μ, σ) is its average over the last ~200 steps; its $D_f$ is the exact divergence at that point, and $F$ the critic\'s estimate of it.',
    zh: '在这个混合分布上训练哪个散度，哪一行就会填上；点击某一行即可训练它。f-GAN 的 (μ, σ) 是最后约 200 步的平均；它的 $D_f$ 是该点处的精确散度，$F$ 是判别器对它的估计。',
  },
  colDivergence: { en: 'divergence', zh: '散度' },
  colExact: { en: 'exact (quadrature)', zh: '精确（数值积分）' },
  colTrained: { en: 'f-GAN (adversarial)', zh: 'f-GAN（对抗训练）' },
  exactShort: { en: 'exact', zh: '精确' },
  trainedShort: { en: 'f-GAN', zh: 'f-GAN' },
  notYet: { en: 'not trained yet', zh: '尚未训练' },
  running: { en: 'training…', zh: '训练中…' },
  trainRow: { en: 'Train {name}', zh: '训练 {name}' },

  readout: { en: 'now: μ = {mu}, σ = {sigma}; critic\'s $F$ = {f}; exact $D_f$ here = {d}', zh: '当前：μ = {mu}，σ = {sigma}；判别器的 $F$ = {f}；此处精确的 $D_f$ = {d}' },
  infiniteBand: {
    en: 'Flat grey: $D_f=+\\infty$ there, the Gaussian\'s tails being too thin (Pearson $\\chi^2$, $\\alpha>1$) or too heavy (Neyman $\\chi^2$) for the integral.',
    zh: '平涂的灰色区域 $D_f=+\\infty$：高斯的尾部太薄（Pearson $\\chi^2$、$\\alpha>1$）或太厚（Neyman $\\chi^2$），积分发散。',
  },

  groupDivergence: { en: 'Divergence', zh: '散度' },
  groupMixture: { en: 'Mixture $P$', zh: '混合分布 $P$' },
  groupTraining: { en: 'Training', zh: '训练' },
  fastest: { en: 'as fast as it goes', zh: '全速' },
  newSeed: { en: 'New seed', zh: '换种子' },
  paperMixture: { en: 'The paper\'s mixture', zh: '论文中的混合分布' },
} as const;

export type StringKey = keyof typeof S;

export const COLORS = { p: 'var(--w-real)', exact: 'var(--w-accent)', trained: 'var(--w-fake)', local: 'var(--w-muted)' } as const;
