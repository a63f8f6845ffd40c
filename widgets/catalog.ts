// The one list of widgets and explainers. The embed module registers an element per widget (registry.ts adds the
// lazy loaders), the build makes a standalone page per widget and the index's cards from it, and the end-to-end
// tests open every page it names. Pure data plus the schemas (which are pure too), so Node and the build read it.
import type { LocalizedText } from '../src/math/types.ts';
import { fdivConjugateSchema } from '../src/settings/fdiv-conjugate.ts';
import { fganFitSchema } from '../src/settings/fgan-fit.ts';
import { fganLabSchema } from '../src/settings/fgan-lab.ts';
import { rnnGradientsSchema } from '../src/settings/rnn-gradients.ts';
import type { Schema } from '../src/settings/schema.ts';
import { transformerWidenSchema } from '../src/settings/transformer-widen.ts';

export interface WidgetEntry {
  tag: string;
  schema: Schema;
  /** space reserved while its code loads (and the iframe height offered to authors) */
  minHeight: number;
  title: LocalizedText;
  /** one sentence for the standalone page's description */
  summary: LocalizedText;
}

export const WIDGET_PAGES: readonly WidgetEntry[] = [
  {
    tag: 'fdiv-conjugate', schema: fdivConjugateSchema, minHeight: 560,
    title: { en: 'Fenchel conjugate of an f-divergence', zh: 'f 散度的凸共轭' },
    summary: {
      en: 'f as the upper envelope of its tangents, its conjugate f*, and the f-GAN output activation.',
      zh: 'f 是它所有切线的上包络；它的凸共轭 f*，以及 f-GAN 的输出激活函数。',
    },
  },
  {
    tag: 'fgan-lab', schema: fganLabSchema, minHeight: 720,
    title: { en: 'f-GAN lab', zh: 'f-GAN 实验室' },
    summary: {
      en: 'Train a toy GAN under any f-divergence, live in your browser.',
      zh: '在浏览器里用任意 f 散度训练一个小 GAN。',
    },
  },
  {
    tag: 'fgan-fit', schema: fganFitSchema, minHeight: 1100,
    title: { en: 'f-GAN in one dimension: fitting a Gaussian to a mixture', zh: '一维 f-GAN：用高斯拟合混合分布' },
    summary: {
      en: 'The f-GAN paper’s Table 3 live: fit N(μ, σ²) to a two-mode mixture by exact minimisation of each f-divergence and by adversarial training, and watch the path of (μ, σ) over the divergence’s landscape.',
      zh: '实时重现 f-GAN 论文的表 3：对每个 f 散度，分别用精确最小化和对抗训练把 N(μ, σ²) 拟合到双峰混合分布上，并在散度的地形图上看 (μ, σ) 的路径。',
    },
  },
  {
    tag: 'transformer-widen', schema: transformerWidenSchema, minHeight: 1500,
    title: { en: 'Widening a Transformer', zh: '加宽 Transformer' },
    summary: {
      en: 'Widen a small trained Transformer by copying its weights; see which methods keep its outputs exactly, and train both on.',
      zh: '通过复制权重加宽一个训练好的小 Transformer；看哪些方法能让输出完全不变，再继续训练两者。',
    },
  },
  {
    tag: 'rnn-gradients', schema: rnnGradientsSchema, minHeight: 900,
    title: { en: 'RNN gradients over time', zh: 'RNN 梯度随时间的变化' },
    summary: {
      en: 'How far back the gradient of a tanh RNN, an LSTM and a GRU reaches, and what training on a memory task makes of it.',
      zh: 'tanh RNN、LSTM 和 GRU 的梯度能传回多远，以及在记忆任务上训练时会怎样。',
    },
  },
];

export interface Source {
  href: string;
  text: string;
}

export interface Explainer {
  /** the article's path from the site root, with an optional #section; null while it is coming */
  href: string | null;
  title: LocalizedText;
  blurb: LocalizedText;
  sources: Source[];
  /** widgets that have a standalone page linked from the card */
  widgets: string[];
}

const FGAN_SOURCES: Source[] = [
  { href: 'https://kexue.fm/archives/6016', text: 'kexue.fm/archives/6016' },
  { href: 'https://arxiv.org/abs/1606.00709', text: 'arXiv:1606.00709' },
];

export const EXPLAINERS: readonly Explainer[] = [
  {
    href: 'articles/f-divergence.html',
    title: { en: 'f-divergences and the local variational method', zh: 'f散度与局部变分：从切线到f-GAN' },
    blurb: {
      en: 'Why every f-divergence is a maximum over tangent lines, how that lets a critic estimate it from samples alone, and what it means for the output activation of an f-GAN. With two live figures of the Fenchel conjugate.',
      zh: '为什么每个f散度都能写成一族切线的最大值，这又怎样让判别器只凭样本就能估计散度，以及f-GAN的输出激活函数该怎么选。附两幅可以拖动的凸共轭交互图。',
    },
    sources: FGAN_SOURCES,
    widgets: ['fdiv-conjugate'],
  },
  {
    href: 'articles/f-gan.html',
    title: { en: 'The f-GAN lab: one game, many divergences', zh: 'f-GAN实验室：同一个博弈，不同的散度' },
    blurb: {
      en: 'Train a small GAN in the page under any f-divergence. Watch the critic’s verdict, the moves the generator wants to make, and the critic’s bound against the divergence; see which divergences seek a mode and which cover them all.',
      zh: '在网页里用任意f散度训练一个小GAN：看判别器怎么判断真假、生成器想往哪里走、判别器的下界如何逼近散度，以及哪些散度寻找单个模式、哪些覆盖所有模式。',
    },
    sources: FGAN_SOURCES,
    widgets: ['fgan-lab'],
  },
  {
    href: 'articles/fgan-fit.html',
    title: { en: 'Which Gaussian does an f-GAN fit?', zh: 'f-GAN会拟合出哪个高斯？' },
    blurb: {
      en: 'The f-GAN paper’s one-dimensional experiment, live: fit one Gaussian to a two-mode mixture under each f-divergence, exactly and by adversarial training. See KL cover both modes, reverse KL settle on one, and the local minimum that traps exact descent but rarely an adversarial run.',
      zh: 'f-GAN论文里的一维实验，在网页里实时重现：在每种f散度下，用一个高斯去拟合双峰混合分布，既精确求解，也用对抗训练求解。看KL怎样覆盖两个峰、反向KL怎样停在一个峰上，以及困住精确梯度下降、却很少困住对抗训练的局部极小。',
    },
    sources: FGAN_SOURCES,
    widgets: ['fgan-fit'],
  },
  {
    href: 'articles/f-gan.html#one-loss',
    title: { en: 'One loss, one backward pass for GANs', zh: '一个loss、一次反向传播训练GAN' },
    blurb: {
      en: 'How a stop-gradient lets a single loss give each player of a GAN its own gradient — a section of the f-GAN lab, where you can switch the lab to this update scheme.',
      zh: '巧用stop_gradient，让一个loss同时给生成器和判别器各自的梯度。这是f-GAN实验室里的一节，可以直接把实验室切换到这种更新方式。',
    },
    sources: [{ href: 'https://kexue.fm/archives/6387', text: 'kexue.fm/archives/6387' }],
    widgets: [],
  },
  {
    href: 'articles/rnn-gradients.html',
    title: { en: 'RNN gradients: why gates help', zh: 'RNN的梯度：门控为什么管用' },
    blurb: {
      en: 'The gradient of a recurrent network is itself a recurrence, and its far terms fade or blow up. Watch it happen in a tanh RNN, an LSTM and a GRU side by side, see why the forget gate keeps the gradient alive and what clipping cannot fix, then train the cells on a memory task.',
      zh: 'RNN的梯度本身也是一个递归，远处的项会衰减或爆炸。把tanh RNN、LSTM和GRU放在一起看它发生，理解遗忘门为什么能让梯度活下来、梯度裁剪修不了什么，再在记忆任务上训练这些单元。',
    },
    sources: [
      { href: 'https://kexue.fm/archives/7888', text: 'kexue.fm/archives/7888' },
      { href: 'https://arxiv.org/abs/1211.5063', text: 'arXiv:1211.5063' },
    ],
    widgets: ['rnn-gradients'],
  },
  {
    href: 'articles/widening.html',
    title: { en: 'Widening a Transformer without changing its outputs', zh: '把Transformer加宽而不改变输出' },
    blurb: {
      en: 'Copy and rescale the weights so that a wider model computes exactly the same function: see which rules make it exact, where each wrong rule breaks it, and why exact copies never grow apart unless their symmetry is broken.',
      zh: '通过复制和缩放权重，让加宽后的模型算出与原模型完全相同的结果：哪些规则让它精确、每条错误的规则从哪里开始出错，以及为什么完全相同的副本在训练中永远不会分开，除非打破它们的对称性。',
    },
    sources: [
      { href: 'https://kexue.fm/archives/8444', text: 'kexue.fm/archives/8444' },
      { href: 'https://arxiv.org/abs/2409.12903', text: 'arXiv:2409.12903' },
      { href: 'https://arxiv.org/abs/1511.05641', text: 'arXiv:1511.05641' },
    ],
    widgets: ['transformer-widen'],
  },
];

/** Every page of the built site, from its root: the index, each live article, each standalone widget page. */
export function sitePages(): string[] {
  const articles = EXPLAINERS.flatMap((e) => (e.href ? [e.href.replace(/#.*$/, '')] : []));
  return ['index.html', ...new Set(articles), ...WIDGET_PAGES.map((w) => `widgets/${w.tag}.html`), 'diagnostics.html'];
}
