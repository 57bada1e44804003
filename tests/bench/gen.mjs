// Deterministic ticket-like text for the benchmarks: English and Chinese
// support mail with customer identifiers planted among look-alikes (dates,
// times, prices, order and tracking numbers, IP addresses, ISBNs, long ids).
// Returns the text and the planted truth, so precision and recall can be
// measured for every scanner on the same input.

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ('the order has not arrived yet and I would like to know when it will be delivered please check the status ' +
  'of my account refund invoice payment shipping address was changed last week thanks for your help we tried again ' +
  'but the app keeps crashing after the update can you reset my password subscription renewal').split(' ');
const ZH = ['您好', '我的订单', '还没有收到', '请尽快处理', '谢谢', '发票', '退款', '物流信息', '客服', '麻烦帮忙查一下', '已经付款', '地址有变化'];
const NAMES = ['mia.fischer', 'li.wei', 'zhang.san', 'john.smith', 'a.kowalski', 'sato.yuki', 'priya.n', 'wang_fang', 'tom+orders', 'support.ops'];
const DOMAINS = ['globex.example', 'example.cn', 'shop.co.uk', 'mail.example.com', 'qq.example', '163.example', 'firma.example.de'];
const AREAS = ['10', '21', '20', '755', '571', '28'];

export function ticketText(bytes, seed = 7) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const digits = (n) => { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(r() * 10); return s; };
  const emails = new Set();
  const phones = new Set();
  const parts = [];
  let size = 0;
  const push = (s) => { parts.push(s); size += Buffer.byteLength(s); };

  const mobile = () => {
    const n = '1' + pick(['3', '5', '8', '9']) + digits(9);
    phones.add('+86' + n);
    const f = Math.floor(r() * 4);
    if (f === 0) return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
    if (f === 1) return `+86-${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`;
    if (f === 2) return `0086 ${n}`;
    return n;
  };
  const landline = () => {
    const a = pick(AREAS);
    const n = (a.length === 2 ? '6' + digits(7) : '8' + digits(7));
    phones.add('+86' + a + n);
    return r() < 0.5 ? `0${a}-${n.slice(0, 4)} ${n.slice(4)}` : `(0${a}) ${n.slice(0, 4)}-${n.slice(4)}`;
  };
  const intl = () => {
    const which = Math.floor(r() * 3);
    if (which === 0) { const n = '20794' + digits(5); phones.add('+44' + n); return `+44 (0)${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`; }
    if (which === 1) { const n = '30' + '2' + digits(7); phones.add('+49' + n); return `+49 ${n.slice(0, 2)} ${n.slice(2)}`; }
    const n = '6' + digits(7); phones.add('+65' + n); return `+65 ${n.slice(0, 4)} ${n.slice(4)}`;
  };
  const email = () => {
    const e = `${pick(NAMES)}${Math.floor(r() * 100)}@${pick(DOMAINS)}`;
    emails.add(e.toLowerCase());
    return e;
  };
  const decoy = () => pick([
    () => `2026-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')} ${digits(2) % 24}:${digits(2) % 60}`,
    () => `order ${'2026' + digits(11)}`,
    () => `tracking SF${digits(13)}`,
    () => `¥${1 + Math.floor(r() * 9)},${digits(3)}.00`,
    () => `IP 192.168.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
    () => `ISBN 978-7-${digits(3)}-${digits(5)}-${Math.floor(r() * 10)}`,
    () => `ref ${digits(20)}`,
    () => `https://cdn.example.com/img/a@2x.png?v=${digits(6)}`,
    () => `version 10.${digits(1)}.${digits(2)}`,
  ])();

  while (size < bytes) {
    const roll = r();
    let line;
    if (roll < 0.3) {
      line = Array.from({ length: 8 + Math.floor(r() * 14) }, () => pick(WORDS)).join(' ') + '.';
    } else if (roll < 0.5) {
      line = Array.from({ length: 3 + Math.floor(r() * 5) }, () => pick(ZH)).join('，') + '。';
    } else if (roll < 0.62) {
      line = `${pick(WORDS)} ${decoy()} ${pick(WORDS)} ${decoy()}`;
    } else if (roll < 0.7) {
      line = `From: ${pick(NAMES)} <${email()}>`;
    } else if (roll < 0.76) {
      line = `Please call me on ${mobile()} or reply to ${email()}, thanks.`;
    } else if (roll < 0.8) {
      line = `联系电话：${r() < 0.5 ? mobile() : landline()}，${pick(ZH)}`;
    } else if (roll < 0.83) {
      line = `Office ${intl()} (${decoy()})`;
    } else {
      line = `> ${Array.from({ length: 6 + Math.floor(r() * 10) }, () => pick(WORDS)).join(' ')}`;
    }
    push(line + '\n');
  }
  return { text: parts.join(''), emails, phones };
}
