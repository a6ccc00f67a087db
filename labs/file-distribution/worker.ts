import { exposeModel } from '../kernel/expose';
import { fileDistribution } from './model';

exposeModel(fileDistribution);
