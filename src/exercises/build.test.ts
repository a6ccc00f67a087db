import { describe, expect, it } from 'vitest';
import { claimExerciseId, splitQuestion } from './build';

describe('claimExerciseId', () => {
  it('accepts simple ids and rejects others with a message naming the component', () => {
    expect(claimExerciseId('<X>', 'bound-quiz_2')).toBe('bound-quiz_2');
    for (const bad of ['', '2fast', 'has space', 'a/b', undefined, 3]) {
      expect(() => claimExerciseId('<MultipleChoice>', bad)).toThrow(/<MultipleChoice>: id must be a word/);
    }
  });

  it('rejects a second use of an id on the same page, and allows it on another page', () => {
    const page = {};
    claimExerciseId('<A>', 'q1', page);
    expect(() => claimExerciseId('<B>', 'q1', page)).toThrow(/<B>: another exercise on this page already has id "q1"/);
    expect(() => claimExerciseId('<B>', 'q1', {})).not.toThrow();
  });
});

describe('splitQuestion', () => {
  it('puts a one-paragraph or bare-text question in the legend', () => {
    expect(splitQuestion('<p>How <em>many</em> peers?</p>\n')).toEqual({ inline: true, html: 'How <em>many</em> peers?' });
    expect(splitQuestion('How many peers?')).toEqual({ inline: true, html: 'How many peers?' });
  });

  it('keeps questions with blocks out of the legend', () => {
    expect(splitQuestion('<p>One.</p><p>Two?</p>').inline).toBe(false);
    expect(splitQuestion('<p>Given:</p><ul><li>a</li></ul>').inline).toBe(false);
    expect(splitQuestion('<pre><code>x</code></pre>').inline).toBe(false);
  });
});
