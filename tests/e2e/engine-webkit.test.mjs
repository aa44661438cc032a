// The page in WebKit (Safari's engine), through WebDriver (engines.mjs).
import { engineTests } from './engines.mjs';

engineTests('webkit');
