/**
 * Grafana's unit ids (the unit picker's values, @grafana/data valueFormats) that dashboards of
 * this field use; custom units are written `suffix:`, `prefix:`, `si:`, `count:`, `currency:`,
 * `time:` or `bool` forms, which Grafana also accepts.
 */
const UNITS = new Set([
  'none', 'short', 'sishort', 'percent', 'percentunit', 'humidity', 'dB', 'hex', 'hex0x', 'sci', 'locale', 'pixel', 'bool', 'bool_yes_no', 'bool_on_off',
  'ns', 'µs', 'ms', 's', 'm', 'h', 'd', 'dtdurationms', 'dtdurations', 'dthms', 'dtdhms', 'timeticks', 'clockms', 'clocks',
  'dateTimeAsIso', 'dateTimeAsIsoNoDateIfToday', 'dateTimeAsUS', 'dateTimeAsUSNoDateIfToday', 'dateTimeAsLocal', 'dateTimeAsLocalNoDateIfToday', 'dateTimeAsSystem', 'dateTimeFromNow',
  'bits', 'bytes', 'kbytes', 'mbytes', 'gbytes', 'tbytes', 'pbytes', 'decbits', 'decbytes', 'deckbytes', 'decmbytes', 'decgbytes', 'dectbytes', 'decpbytes',
  'bps', 'Bps', 'binbps', 'binBps', 'KiBs', 'Kibits', 'MiBs', 'Mibits', 'GiBs', 'Gibits', 'KBs', 'Kbits', 'MBs', 'Mbits', 'GBs', 'Gbits', 'pps',
  'ops', 'reqps', 'rps', 'wps', 'iops', 'cps', 'opm', 'rpm', 'wpm', 'cpm', 'eps', 'mps', 'ips', 'tps', 'ipm', 'epm', 'mpm', 'tpm',
  'watt', 'kwatt', 'mwatt', 'Wm2', 'voltamp', 'kvoltamp', 'voltampreact', 'watth', 'kwatth', 'kwattm', 'joule', 'ev', 'amp', 'kamp', 'mamp', 'volt', 'kvolt', 'mvolt', 'dBm', 'ohm', 'lumens',
  'celsius', 'fahrenheit', 'kelvin', 'hertz', 'rothz', 'rotrpm', 'rotrads', 'rotdegs',
  'currencyUSD', 'currencyGBP', 'currencyEUR', 'currencyJPY', 'currencyRUB', 'currencyUAH', 'currencyBRL', 'currencyDKK', 'currencyISK', 'currencyNOK', 'currencySEK', 'currencyCZK', 'currencyCHF', 'currencyPLN', 'currencyBTC', 'currencymBTC', 'currencyμBTC', 'currencyZAR', 'currencyINR', 'currencyKRW', 'currencyIDR', 'currencyPHP', 'currencyVND',
]);

const CUSTOM = /^(suffix|prefix|si|count|currency|time):./;

/** isValidUnit says whether Grafana knows a unit id. */
export function isValidUnit(unit: string): boolean {
  return UNITS.has(unit) || CUSTOM.test(unit);
}
