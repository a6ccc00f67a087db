import { exposeModel } from '../kernel/expose';
import { cost } from './model';

exposeModel(cost);
