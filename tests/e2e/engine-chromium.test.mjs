// The page in Chromium, through WebDriver (engines.mjs).
import { engineTests } from './engines.mjs';

engineTests('chromium');
