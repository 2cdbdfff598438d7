/**
 * The address of the labels screen with a selection made: other pages (a device, the device list, a
 * shipment) link here, e.g. `<Link to={labelsUrl({ deviceIds: [id] })}>Print label</Link>`.
 */
export type LabelSelection = { deviceIds: string[] } | { schoolId: string } | { shipmentId: string };

export function labelsUrl(selection: LabelSelection): string {
  const query = new URLSearchParams();
  if ('deviceIds' in selection) query.set('deviceIds', selection.deviceIds.join(','));
  else if ('schoolId' in selection) query.set('schoolId', selection.schoolId);
  else query.set('shipmentId', selection.shipmentId);
  return `/labels?${query.toString()}`;
}

/** The selection a /labels address carries; ids that are not UUIDs are dropped (the API would refuse them). */
export function selectionFrom(search: string): Partial<{ deviceIds: string[]; schoolId: string; shipmentId: string }> {
  const query = new URLSearchParams(search);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const deviceIds = (query.get('deviceIds') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => uuid.test(id));
  const schoolId = query.get('schoolId') ?? '';
  const shipmentId = query.get('shipmentId') ?? '';
  return {
    ...(deviceIds.length ? { deviceIds } : {}),
    ...(uuid.test(schoolId) ? { schoolId } : {}),
    ...(uuid.test(shipmentId) ? { shipmentId } : {}),
  };
}
