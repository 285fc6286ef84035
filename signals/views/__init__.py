"""The pages of offence reports, one module per audience, without an import loop:

- `report_form`: the public report form (and its parts the staff's entry reuses);
- `public`: the public pages around a report (duplicates and "me too", the private tracking page
  and the reporter's follow-up, the public map);
- `detail`: a report's staff page with its timeline and work panels;
- `reports`: the staff's list, staff entry, the prosecutor's changes from a report's page;
- `work`: the body's queue, the body's and the prosecutor's actions, the oversight page.

`reports` and `work` render `detail`; nothing imports them back. Views parse, ask signals.policy,
call one service or selector and render.
"""
