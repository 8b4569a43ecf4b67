import { useTranslation } from 'react-i18next';
import type { TrackStatus } from '../../../../server/steering/steering.schema';

// Colour and a shape per status, and always the word: the light never speaks by colour alone.
const symbols: Record<TrackStatus, string> = { on_track: '●', at_risk: '▲', off_track: '■', no_data: '○' };

export function TrafficLight({ status }: { status: TrackStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`traffic-light traffic-light--${status.replace('_', '-')}`}>
      <span className="traffic-light__symbol" aria-hidden="true">
        {symbols[status]}
      </span>
      {t(`steering.trackStatus.${status}`)}
    </span>
  );
}
