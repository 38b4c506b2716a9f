// The choose-role page's view model (views/auth/choose-role.eta): one radio for each role the
// user's sign-in gives, as "Role, organisation", and the error summary when none was chosen.
import { errorList, errorMessages, type ErrorMessage, type ErrorSummaryItem } from '../web/error-list.ts';
import { roles } from './roles.ts';
import type { RoleAssignment } from './users.ts';

export interface ChooseRoleView {
  title: string;
  errorList: ErrorSummaryItem[];
  errorMessage: ErrorMessage;
  items: Array<{ id: string; value: string; text: string }>;
}

export function presentChooseRole(assignments: readonly RoleAssignment[], error?: string): ChooseRoleView {
  const errors = { assignment: error };
  return {
    title: error ? 'Error: Choose your role' : 'Choose your role',
    errorList: errorList(errors, ['assignment']),
    errorMessage: errorMessages(errors, ['assignment']).assignment,
    // The value is the assignment's place in the session's list (POST /choose-role reads it back).
    items: assignments.map((assignment, index) => ({
      id: index === 0 ? 'assignment' : `assignment-${index}`, value: String(index), text: `${roles[assignment.role].title}, ${assignment.organisationName}`,
    })),
  };
}
