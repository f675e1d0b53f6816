import { describe, expect, it } from 'vitest';
import { arrayLiteral } from './array-literal.js';

describe('arrayLiteral', () => {
  it('leaves safe elements bare and quotes the rest', () => {
    expect(arrayLiteral(['0194-7a', 1.5, null, undefined, true, false], 'text')).toBe(
      '{0194-7a,1.5,NULL,NULL,t,f}',
    );
    expect(arrayLiteral(['a b', '', 'null', 'NULL', 'x,y', '{z}', 'q"uo\\te'], 'text')).toBe(
      '{"a b","","null","NULL","x,y","{z}","q\\"uo\\\\te"}',
    );
    expect(arrayLiteral([{ a: 'x"y' }, [1, 2], null], 'jsonb')).toBe(
      '{"{\\"a\\":\\"x\\\\\\"y\\"}","[1,2]",NULL}',
    );
    expect(arrayLiteral(['2025-01-01T00:00:00.000Z', '2001:db8::5'], 'timestamptz')).toBe(
      '{2025-01-01T00:00:00.000Z,2001:db8::5}',
    );
  });
});
