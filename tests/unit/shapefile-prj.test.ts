import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { crsFromPrj, encodingOf } from '../../server/imports/shapefile-source.ts';
import { SourceFileError } from '../../server/imports/source-file.ts';

// The .prj of Cologne's 2024 Shapefiles (ESRI WKT without an EPSG code).
const cologne =
  'PROJCS["ETRS_1989_UTM_Zone_32N",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

// A Lambert conformal conic with no EPSG code and no known ESRI name: read by proj4.
const customLambert =
  'PROJCS["Stadt_Teststadt_LCC",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",1000000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",7.0],PARAMETER["Standard_Parallel_1",50.0],PARAMETER["Standard_Parallel_2",52.0],PARAMETER["Latitude_Of_Origin",51.0],UNIT["Meter",1.0]]';

describe('the CRS of a Shapefile .prj', () => {
  it('maps ESRI names without an EPSG code', () => {
    expect(crsFromPrj(cologne)).toEqual({ srid: 25832 });
    expect(crsFromPrj(cologne.replace('Zone_32N', 'Zone_33N'))).toEqual({ srid: 25833 });
    expect(crsFromPrj('PROJCS["DHDN_3_Degree_Gauss_Zone_3",GEOGCS["GCS_Deutsches_Hauptdreiecksnetz"]]')).toEqual({ srid: 31467 });
    expect(crsFromPrj('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')).toEqual({ srid: 4326 });
  });

  it('takes the outermost EPSG authority of WKT1 and WKT2', () => {
    expect(crsFromPrj('PROJCS["DHDN / 3-degree Gauss-Kruger zone 3",GEOGCS["DHDN",AUTHORITY["EPSG","4314"]],AUTHORITY["EPSG","31467"]]')).toEqual({ srid: 31467 });
    expect(crsFromPrj('PROJCRS["ETRS89 / UTM zone 33N",BASEGEOGCRS["ETRS89",ID["EPSG",4258]],ID["EPSG",25833]]')).toEqual({ srid: 25833 });
  });

  it('reprojects any other WKT that proj4 reads, as the same CRS written as a proj4 string does', () => {
    const crs = crsFromPrj(customLambert);
    expect(crs).toMatchObject({ name: 'Stadt_Teststadt_LCC' });
    const fromWkt = proj4((crs as { proj4: string }).proj4, 'EPSG:4326', [1_010_000, 20_000]);
    const fromString = proj4('+proj=lcc +lat_1=50 +lat_2=52 +lat_0=51 +lon_0=7 +x_0=1000000 +y_0=0 +ellps=GRS80 +units=m +no_defs', 'EPSG:4326', [1_010_000, 20_000]);
    expect(fromWkt[0]).toBeCloseTo(fromString[0]!, 9);
    expect(fromWkt[1]).toBeCloseTo(fromString[1]!, 9);
    expect(fromWkt[0]).toBeGreaterThan(7.1);
  });

  it('gives up on text that is no CRS', () => {
    expect(crsFromPrj('LOCAL_CS["somewhere"]')).toBeUndefined();
    expect(crsFromPrj('not a projection')).toBeUndefined();
  });
});

describe('the encoding of a Shapefile .dbf', () => {
  const dbfWithDriver = (driver: number) => {
    const bytes = new Uint8Array(64);
    bytes[29] = driver;
    return bytes;
  };

  it('reads the .cpg in its common spellings', () => {
    for (const [cpg, encoding] of [['UTF-8', 'utf-8'], ['ANSI 1252', 'windows-1252'], ['1252', 'windows-1252'], ['ISO-8859-1', 'iso-8859-1'], ['88591', 'iso-8859-1']] as const) {
      expect(encodingOf(new TextEncoder().encode(`${cpg}\r\n`), dbfWithDriver(0), 'layer'), cpg).toBe(encoding);
    }
  });

  it('falls back to the dBASE language driver, windows-1252 when it is not set', () => {
    expect(encodingOf(undefined, dbfWithDriver(0x00), 'layer')).toBe('windows-1252');
    expect(encodingOf(undefined, dbfWithDriver(0x57), 'layer')).toBe('windows-1252');
    expect(encodingOf(undefined, dbfWithDriver(0xc8), 'layer')).toBe('windows-1250');
  });

  it('refuses a code page it cannot decode, asking for a .cpg', () => {
    expect(() => encodingOf(undefined, dbfWithDriver(0x01), 'bezirke')).toThrow(SourceFileError);
    expect(() => encodingOf(undefined, dbfWithDriver(0x01), 'bezirke')).toThrow(/add a bezirke\.cpg/);
  });
});
