import { describe, expect, it } from 'vitest';
import { fieldSelectorProblem, labelSelectorProblem } from '../../../../collectors/discovery/kubernetes/selector.js';

// Accepted and rejected forms follow apimachinery's labels.Parse and fields.ParseSelector.
describe('labelSelectorProblem', () => {
  it.each([
    '',
    'app=vllm',
    'app==vllm',
    'app!=vllm',
    'app',
    '!canary',
    'app.kubernetes.io/name=vllm',
    'tier in (gpu, cpu)',
    'tier notin (gpu)',
    'tier in ()',
    'tier in (a,,b)',
    'tier in (a,)',
    'generation>3',
    'generation < 10',
    'app=',
    ' app = vllm , !canary , tier in (gpu) ',
    'in=notin',
  ])('accepts %j', (s) => {
    expect(labelSelectorProblem(s)).toBeUndefined();
  });

  it.each([
    ['app=vllm,', 9, "found 'end of string', expected: identifier after ','"],
    ['app=vllm,,x', 9, "found ',', expected: identifier after ','"],
    ['=vllm', 0, "found '=', expected: !, identifier, or 'end of string'"],
    ['app vllm', 4, "found 'vllm', expected: =, !=, ==, in, notin, >, <"],
    ['tier in gpu', 8, "found 'gpu', expected: '('"],
    ['tier in (gpu', 12, "found 'end of string', expected: ',' or ')'"],
    ['tier in (', 9, "found 'end of string', expected: ',', ')' or identifier"],
    ['generation<-1', 11, 'invalid label value: "-1"'],
    ['tier in (a b)', 11, "found 'b', expected: ',' or ')'"],
    ['!app=x', 4, "found '=', expected: ',' or 'end of string'"],
    ['generation>x', 11, "for 'Gt', 'Lt' operators, the value must be an integer"],
    ['generation>', 11, "for 'Gt', 'Lt' operators, the value must be an integer"],
    ['-app=x', 0, 'invalid label key "-app"'],
    ['Example.com/app=x', 0, 'invalid label key "Example.com/app"'],
    ['a/b/c=x', 0, 'invalid label key "a/b/c"'],
    [`app=${'v'.repeat(64)}`, 4, 'must be no more than 63 characters'],
    ['app=-vllm', 4, 'invalid label value: "-vllm"'],
  ])('rejects %j at %i: %s', (s, index, message) => {
    const p = labelSelectorProblem(s);
    expect(p?.index).toBe(index);
    expect(p?.message).toContain(message);
  });
});

describe('fieldSelectorProblem', () => {
  it.each(['', 'spec.nodeName=gpu-1', 'status.phase!=Failed,spec.nodeName==n', 'metadata.name=a\\,b', 'metadata.name=', 'a=b,'])('accepts %j', (s) => {
    expect(fieldSelectorProblem(s)).toBeUndefined();
  });

  it.each([
    ['spec.nodeName', 0, "can't understand 'spec.nodeName'"],
    ['a=b,status.phase', 4, "can't understand 'status.phase'"],
    ['a=b=c', 3, '"=" must be escaped'],
    ['a=b\\x', 3, 'invalid escape sequence'],
  ])('rejects %j at %i: %s', (s, index, message) => {
    const p = fieldSelectorProblem(s);
    expect(p?.index).toBe(index);
    expect(p?.message).toContain(message);
  });
});
