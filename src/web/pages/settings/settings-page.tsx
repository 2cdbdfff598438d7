import { useState } from 'react';
import { api } from '../../api/client';
import { useSession } from '../../session';
import { Field } from '../../ui/action-dialog';
import { outcome } from '../../ui/problem';
import { useSchools } from '../../ui/schools';
import { useLoad } from '../../ui/use-load';
import { ApiTokens } from './api-tokens';
import { Connectors } from './connectors';
import { DistrictSettings } from './district-settings';
import { IdentityProvider } from './identity-provider';
import { Schools } from './schools';
import { StaffUsers } from './staff-users';
import '../records.css';
import './settings.css';

/** /settings — for administrators: the district's settings, its schools, its staff users and roles, its identity provider, its API tokens and its live connectors. */
export function SettingsPage() {
  const session = useSession();
  const stateAdmin = session.current.districtId === null;
  const districts = useLoad(
    () => (stateAdmin ? outcome(api.GET('/api/v1/districts', { params: { query: { limit: 500 } } })) : Promise.resolve({ data: null })),
    [],
  );
  const [chosen, setChosen] = useState('');
  const districtId = session.current.districtId ?? (chosen || districts.data?.data[0]?.id || '');
  const schools = useSchools();
  const districtSchools = new Map([...schools].filter(([, school]) => school.districtId === undefined || school.districtId === districtId));

  return (
    <>
      <h1>Settings</h1>
      {stateAdmin && (
        <div className="filters">
          <Field label="District to set up">
            {(id) => (
              <select id={id} value={districtId} onChange={(event) => setChosen(event.target.value)}>
                {(districts.data?.data ?? []).map((district) => (
                  <option key={district.id} value={district.id}>
                    {district.name} ({district.code})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
      {districtId ? (
        <div key={districtId} className="settings">
          <DistrictSettings districtId={districtId} />
          <Schools districtId={districtId} />
          <StaffUsers districtId={districtId} stateAdmin={stateAdmin} schools={districtSchools} />
          <IdentityProvider districtId={districtId} />
          <ApiTokens districtId={districtId} stateAdmin={stateAdmin} />
          <Connectors districtId={districtId} />
        </div>
      ) : (
        districts.data && <p>No districts yet.</p>
      )}
    </>
  );
}
