import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/core/training/error-message';

describe('errorMessage', () => {
  it('gives an Error its message and anything else thrown as a string', () => {
    expect(errorMessage(new TypeError('bad shape'))).toBe('bad shape');
    expect(errorMessage('a plain string')).toBe('a plain string');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(null)).toBe('null');
  });
});
