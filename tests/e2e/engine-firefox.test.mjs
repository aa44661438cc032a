// The page in Firefox, through WebDriver (engines.mjs).
import { engineTests } from './engines.mjs';

engineTests('firefox');
