/**
 * The props each course component takes, as its `interface Props` declares them. Astro
 * ignores a prop a component does not declare, so a misspelt `case=` or `presets=`
 * would change nothing and say nothing; the build checks every use in a lesson
 * against this table instead (remark-check-labs.ts). component-props.test.ts keeps the
 * table equal to the components' own Props.
 */
export const componentProps: Readonly<Record<string, ReadonlyArray<string>>> = {
  Lab: ['id', 'preset', 'name', 'title'],
  LabValue: ['lab', 'preset', 'series', 'at', 'output', 'seed', 'format', 'unit'],
  Claim: ['lab'],
  MultipleChoice: ['id', 'options', 'hint', 'multiple'],
  NumericQuestion: ['id', 'answer', 'answerFrom', 'tolerance', 'absoluteTolerance', 'unit', 'hint', 'feedback', 'mistakes', 'variant'],
  PredictRun: ['id', 'lab', 'preset', 'seed', 'outcome', 'options', 'tolerance', 'absoluteTolerance', 'hint'],
  ExerciseHint: ['hint'],
  ExerciseProgress: ['title'],
  ExerciseSolution: ['html', 'id'],
  CourseProgress: [],
  NetworkDiagram: ['lab', 'preset', 'seed', 'panels', 'title'],
  ParamReference: ['id'],
  Term: ['id'],
  VerdictBadge: ['verdict', 'linked'],
  VariantSeed: [],
  VariantValue: ['name'],
};

/** Attributes Astro itself reads on any component (named slots). */
export const astroAttributes: ReadonlyArray<string> = ['slot'];
