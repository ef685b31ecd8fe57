import { describe, expect, it } from 'vitest';
import { change, formatCount, formatShare } from '../../src/format';
import { niceMax } from '../../src/svg';

describe('numbers for people', () => {
  it('counts: separators, compact past ten thousand, one decimal for small fractions', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(48_200)).toBe('48.2K');
    expect(formatCount(2_500_000)).toBe('2.5M');
    expect(formatCount(3.25)).toBe('3.3');
    expect(formatCount(Number.NaN)).toBe('–');
  });

  it('shares: percent with the precision a small share needs', () => {
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(0.0423)).toBe('4.2%');
    expect(formatShare(0.5)).toBe('50%');
    expect(formatShare(0.0004)).toBe('0.04%');
  });

  it('changes: relative for counts, points for shares, and no division by zero', () => {
    expect(change(112, 100, 'count')).toEqual({ direction: 'up', text: '+12%' });
    expect(change(90, 100, 'count')).toEqual({ direction: 'down', text: '−10%' });
    expect(change(5, 0, 'count')).toEqual({ direction: 'up', text: 'new' });
    expect(change(0, 0, 'count').direction).toBe('flat');
    expect(change(0.052, 0.048, 'share')).toEqual({ direction: 'up', text: '+0.4 pt' });
    expect(change(3, undefined, 'count').direction).toBe('none');
  });

  it('axis maxima are 1, 2 or 5 times a power of ten', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(130)).toBe(200);
    expect(niceMax(0.043)).toBe(0.05);
  });
});
