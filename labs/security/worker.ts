import { exposeModel } from '../kernel/expose';
import { security } from './model';

exposeModel(security);
