import { Option } from 'commander';

/**
 * An option with a default value, shown in --help as typed (`(default: 10000)`): commander shows
 * a plain string default as JSON (`(default: "10000")`). The flag parsers take the value as a
 * string either way.
 */
export function valueOption(flags: string, description: string, defaultValue: string): Option {
  return new Option(flags, description).default(defaultValue, defaultValue);
}
