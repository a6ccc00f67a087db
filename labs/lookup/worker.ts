import { exposeModel } from '../kernel/expose';
import { lookup } from './model';

exposeModel(lookup);
