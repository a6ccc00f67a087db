import { exposeModel } from '../kernel/expose';
import { churn } from './model';

exposeModel(churn);
