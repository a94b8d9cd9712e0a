import common from './common.json';
import titles from './titles.json';
import login from './login.json';
import shell from './shell.json';
import prefs from './prefs.json';
import profile from './profile.json';
import errors from './errors.json';
import keys from './keys.json';
import sig from './sig.json';
import ssl from './ssl.json';
import history from './history.json';
import audit from './audit.json';
import pki from './pki.json';

/** Every text of the console in this language, one file per area of the console. */
export default {
  common,
  titles,
  login,
  shell,
  prefs,
  profile,
  errors,
  keys,
  sig,
  ssl,
  history,
  audit,
  pki,
};
