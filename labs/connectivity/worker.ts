import { exposeModel } from '../kernel/expose';
import { connectivity } from './model';

exposeModel(connectivity);
