import { exposeModel } from '../kernel/expose';
import { serverLoad } from './model';

exposeModel(serverLoad);
