import path from 'node:path';
import { areaLevels, type AreaLevel } from '../../areas/areas.schema.ts';
import { CityInitError } from '../../cities/cities.schema.ts';
import { initCity } from '../../cities/cities.service.ts';
import { citiesDirectoryOf } from '../../datasets/datasets.service.ts';
import type { CliCommand } from '../cli-command.ts';

function numbers(option: string, value: string, count: number): number[] {
  const parts = value.split(',').map((part) => Number(part.trim()));
  if (parts.length !== count || parts.some((part) => !Number.isFinite(part))) {
    throw new CityInitError(`${option} must be ${count} numbers separated by commas (got "${value}")`);
  }
  return parts;
}

export const cityCommand: CliCommand = {
  register(program, context) {
    const city = program.command('city').description('Cities outside the repository: a folder with city.json, datasets/, indicators.json, coverage-demand.json.');
    city
      .command('init')
      .description('Create a city folder (GEODATA_DIR/cities/<id> or --dir) with its profile; bbox and centre come from the area file when given.')
      .argument('<id>', 'city id, lower case (e.g. flensburg)')
      .requiredOption('--name <name>', 'the city\'s name as citizens read it')
      .option('--holiday-state <code>', 'two-letter German state code for public holidays (e.g. SH, NW, BE)', 'NW')
      .option('--areas <file>', 'GeoJSON of the areas (EPSG:4326, 3857, 25832 or 25833); a manifest to import it is written too')
      .option('--level <level>', `level of those areas (${areaLevels.join(', ')})`, 'sozialraum')
      .option('--code-field <field>', 'property with the area code', 'code')
      .option('--name-field <field>', 'property with the area name', 'name')
      .option('--bbox <west,south,east,north>', 'bounding box in EPSG:4326 (instead of an area file)')
      .option('--center <lon,lat>', 'map centre in EPSG:4326 (default: the middle of the bbox)')
      .option('--dir <folder>', 'where to write the city folder (default: GEODATA_DIR/cities/<id>)')
      .option('--force', 'overwrite an existing city.json')
      .action(
        (
          id: string,
          options: { name: string; holidayState: string; areas?: string; level: string; codeField: string; nameField: string; bbox?: string; center?: string; dir?: string; force?: boolean },
        ) => {
          const cli = context();
          try {
            if (!(areaLevels as readonly string[]).includes(options.level)) throw new CityInitError(`--level must be one of ${areaLevels.join(', ')} (got "${options.level}")`);
            const result = initCity({
              id,
              name: options.name,
              holidayState: options.holidayState,
              folder: options.dir ? path.resolve(options.dir) : path.join(citiesDirectoryOf(cli.config.geodataDir), id),
              areas: options.areas ? { file: options.areas, level: options.level as AreaLevel, codeField: options.codeField, nameField: options.nameField } : undefined,
              bbox: options.bbox ? (numbers('--bbox', options.bbox, 4) as [number, number, number, number]) : undefined,
              center: options.center ? (numbers('--center', options.center, 2) as [number, number]) : undefined,
              force: options.force === true,
            });
            cli.out(`Created ${result.profileFile}`);
            if (result.manifestFile) cli.out(`Created ${result.manifestFile} (import with: npm run cli -- import ${id}-areas, with CITY=${id})`);
            cli.out(`bbox ${result.profile.bbox.join(', ')}; centre ${result.profile.center.join(', ')}`);
          } catch (error) {
            if (!(error instanceof CityInitError)) throw error;
            cli.err(`city init: ${error.message}`);
            process.exitCode = 2;
          }
        },
      );
  },
};
