{%- extends 'nbgrader/manage_assignments.tpl' -%}

{#- This course releases with `make release` and grades what is under submitted/: the exchange
    buttons (Generate, Release, Collect, Release Feedback) are hidden. Columns, as nbgrader's page
    lays them out: 1 Name, 2 Due Date, 3 Status, 4 Edit, 5 Generate, 6 Preview, 7 Release,
    8 Collect, 9 # Submissions, 10 Generate Feedback, 11 Release Feedback. -#}
{%- block head -%}
{{ super() }}
<style>
  table.table tr > :nth-child(5), table.table tr > :nth-child(7),
  table.table tr > :nth-child(8), table.table tr > :nth-child(11) { display: none; }
</style>
{%- endblock -%}

{%- block messages -%}
<div class="alert alert-info" id="course-commands">
  <p>This course is released and graded from the command line, in the course folder:</p>
  <ul>
    <li><code>make release</code> regenerates the student notebooks (<code>notebooks/</code>) from
      <code>solutions/</code> and checks them.</li>
    <li>Put each submission at <code>submitted/&lt;student&gt;/&lt;assignment&gt;/&lt;assignment&gt;.ipynb</code>,
      then <code>make autograde</code> grades them all, writes the feedback pages and <code>grades.csv</code>.</li>
  </ul>
  <p>Here you can edit and preview assignments, grade by hand and read the submissions.</p>
</div>
{%- endblock -%}
